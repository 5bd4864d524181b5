#!/usr/bin/env bash
# Template authors' check: renders <pattern> into three throwaway projects and runs tsc --noEmit + vitest in each:
#   esm      strict NodeNext ESM, lib ES2022 only (no esnext.disposable: runtime-installed dispose hook)
#   esnext   strict NodeNext ESM, lib ESNext (declared [Symbol.asyncDispose])
#   cjs      CommonJS (module commonjs, moduleResolution node10), lib ES2022
# Usage: bash scripts/dev-sandbox.sh <pattern> [--bench]
set -euo pipefail
id=$1; shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
base=$(mktemp -d "${TMPDIR:-/tmp}/ck-$id-XXXXXX")
strict='"strict": true, "exactOptionalPropertyTypes": true, "noUncheckedIndexedAccess": true, "noImplicitOverride": true, "noUnusedLocals": true, "noUnusedParameters": true, "noPropertyAccessFromIndexSignature": true, "noFallthroughCasesInSwitch": true, "isolatedModules": true, "skipLibCheck": true, "types": ["node"], "noEmit": true'
status=0
for flavour in esm esnext cjs; do
  dir=$base/$flavour; mkdir -p "$dir/src"
  ln -s "$root/node_modules" "$dir/node_modules"
  case $flavour in
    esm)    echo '{"name":"s","type":"module","private":true}' > "$dir/package.json"
            echo "{\"compilerOptions\":{\"target\":\"ES2022\",\"lib\":[\"ES2022\"],\"module\":\"NodeNext\",\"moduleResolution\":\"NodeNext\",\"verbatimModuleSyntax\":true,$strict},\"include\":[\"src\"]}" > "$dir/tsconfig.json"
            npx tsx "$root/scripts/dev-render.ts" "$id" "$dir/src" --no-dispose >/dev/null ;;
    esnext) echo '{"name":"s","type":"module","private":true}' > "$dir/package.json"
            echo "{\"compilerOptions\":{\"target\":\"ES2022\",\"lib\":[\"ESNext\"],\"module\":\"NodeNext\",\"moduleResolution\":\"NodeNext\",\"verbatimModuleSyntax\":true,$strict},\"include\":[\"src\"]}" > "$dir/tsconfig.json"
            npx tsx "$root/scripts/dev-render.ts" "$id" "$dir/src" >/dev/null ;;
    cjs)    echo '{"name":"s","private":true}' > "$dir/package.json"
            echo "{\"compilerOptions\":{\"target\":\"ES2022\",\"lib\":[\"ES2022\"],\"module\":\"commonjs\",\"moduleResolution\":\"node10\",\"esModuleInterop\":true,$strict},\"include\":[\"src\"]}" > "$dir/tsconfig.json"
            npx tsx "$root/scripts/dev-render.ts" "$id" "$dir/src" --cjs --no-dispose >/dev/null ;;
  esac
  echo "== $flavour: $dir"
  (cd "$dir" && "$root/node_modules/.bin/tsc" -p tsconfig.json) || { echo "tsc FAILED ($flavour)"; status=1; }
  (cd "$dir" && "$root/node_modules/.bin/vitest" run --root "$dir" --reporter=dot) || { echo "vitest FAILED ($flavour)"; status=1; }
  if [ "${1:-}" = "--bench" ] && [ $flavour = esnext ]; then (cd "$dir" && "$root/node_modules/.bin/vitest" bench --run --root "$dir") || status=1; fi
done
echo "sandbox: $base (exit $status)"
exit $status
