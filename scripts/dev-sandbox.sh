#!/usr/bin/env bash
# Template authors' check: renders <pattern> into throwaway projects and runs tsc, typescript-eslint and vitest:
#   esm      strict NodeNext ESM, lib ES2022 only (no esnext.disposable: runtime-installed dispose hook), every
#            strictness flag (exactOptionalPropertyTypes, noUncheckedIndexedAccess, noPropertyAccessFromIndexSignature,
#            isolatedDeclarations, erasableSyntaxOnly, verbatimModuleSyntax ...)
#   esnext   strict NodeNext ESM, lib ESNext (declared [Symbol.asyncDispose])
#   cjs      CommonJS (module commonjs, moduleResolution node10), lib ES2022
#   loose    non-strict bundler project (strict off): no `!` or `as` may be flagged as unnecessary there
#   dom      a Vite-style app: bundler resolution, lib ES2020 + DOM, "types": [] (no @types/node visible)
# Each is linted type-aware with zero findings allowed: typescript-eslint strictTypeChecked + stylisticTypeChecked, except
# loose, which gets recommendedTypeChecked + stylisticTypeChecked without prefer-nullish-coalescing (strictTypeChecked's
# null-safety rules and that stylistic one refuse to run without strictNullChecks, so no non-strict project uses them).
# Usage: bash scripts/dev-sandbox.sh <pattern> [--bench]
set -euo pipefail
id=$1; shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
base=$(mktemp -d "${TMPDIR:-/tmp}/ck-$id-XXXXXX")
strict='"strict": true, "exactOptionalPropertyTypes": true, "noUncheckedIndexedAccess": true, "noImplicitOverride": true, "noUnusedLocals": true, "noUnusedParameters": true, "noPropertyAccessFromIndexSignature": true, "noFallthroughCasesInSwitch": true, "noImplicitReturns": true, "isolatedModules": true, "skipLibCheck": true, "types": ["node"], "noEmit": true'
status=0
flavours='esm esnext cjs loose dom'
# A module that imports Node's own modules (node:worker_threads ...) cannot serve a project without @types/node: no dom.
if npx tsx -e "import { loadPattern, requiresNodeTypes } from '$root/src/patterns/registry.ts'; process.exit(requiresNodeTypes(loadPattern('$id')) ? 0 : 1);"; then
  flavours='esm esnext cjs loose'; echo "(dom skipped: the $id module imports node:* modules)"
fi
for flavour in $flavours; do
  dir=$base/$flavour; mkdir -p "$dir/src"
  ln -s "$root/node_modules" "$dir/node_modules"
  case $flavour in
    esm)    echo '{"name":"s","type":"module","private":true}' > "$dir/package.json"
            echo "{\"compilerOptions\":{\"target\":\"ES2022\",\"lib\":[\"ES2022\"],\"module\":\"NodeNext\",\"moduleResolution\":\"NodeNext\",\"verbatimModuleSyntax\":true,\"erasableSyntaxOnly\":true,\"isolatedDeclarations\":true,\"declaration\":true,$strict},\"include\":[\"src\"]}" > "$dir/tsconfig.json"
            npx tsx "$root/scripts/dev-render.ts" "$id" "$dir/src" --no-dispose >/dev/null ;;
    esnext) echo '{"name":"s","type":"module","private":true}' > "$dir/package.json"
            echo "{\"compilerOptions\":{\"target\":\"ES2022\",\"lib\":[\"ESNext\"],\"module\":\"NodeNext\",\"moduleResolution\":\"NodeNext\",\"verbatimModuleSyntax\":true,$strict},\"include\":[\"src\"]}" > "$dir/tsconfig.json"
            npx tsx "$root/scripts/dev-render.ts" "$id" "$dir/src" >/dev/null ;;
    cjs)    echo '{"name":"s","private":true}' > "$dir/package.json"
            echo "{\"compilerOptions\":{\"target\":\"ES2022\",\"lib\":[\"ES2022\"],\"module\":\"commonjs\",\"moduleResolution\":\"node10\",\"esModuleInterop\":true,$strict},\"include\":[\"src\"]}" > "$dir/tsconfig.json"
            npx tsx "$root/scripts/dev-render.ts" "$id" "$dir/src" --cjs --no-dispose >/dev/null ;;
    loose)  echo '{"name":"s","type":"module","private":true}' > "$dir/package.json"
            echo '{"compilerOptions":{"target":"ES2022","lib":["ES2022"],"module":"ESNext","moduleResolution":"bundler","strict":false,"skipLibCheck":true,"types":["node"],"noEmit":true},"include":["src"]}' > "$dir/tsconfig.json"
            npx tsx "$root/scripts/dev-render.ts" "$id" "$dir/src" --no-dispose >/dev/null ;;
    dom)    echo '{"name":"s","type":"module","private":true}' > "$dir/package.json"
            echo "{\"compilerOptions\":{\"target\":\"ES2020\",\"lib\":[\"ES2020\",\"DOM\",\"DOM.Iterable\"],\"module\":\"ESNext\",\"moduleResolution\":\"bundler\",\"verbatimModuleSyntax\":true,${strict/\"types\": \[\"node\"\]/\"types\": []}},\"include\":[\"src\"]}" > "$dir/tsconfig.json"
            npx tsx "$root/scripts/dev-render.ts" "$id" "$dir/src" --no-dispose >/dev/null ;;
  esac
  preset=strictTypeChecked; loose_rules=''
  if [ $flavour = loose ]; then preset=recommendedTypeChecked; loose_rules="{ rules: { '@typescript-eslint/prefer-nullish-coalescing': 'off' } },"; fi
  cat > "$dir/eslint.config.mjs" <<CFG
import tseslint from 'typescript-eslint';
export default tseslint.config(
  ...tseslint.configs.$preset,
  ...tseslint.configs.stylisticTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  ${loose_rules}
);
CFG
  echo "== $flavour: $dir"
  (cd "$dir" && "$root/node_modules/.bin/tsc" -p tsconfig.json) || { echo "tsc FAILED ($flavour)"; status=1; }
  (cd "$dir" && "$root/node_modules/.bin/eslint" --max-warnings 0 src) || { echo "eslint FAILED ($flavour)"; status=1; }
  if [ $flavour != loose ]; then
    (cd "$dir" && "$root/node_modules/.bin/vitest" run --root "$dir" --reporter=dot) || { echo "vitest FAILED ($flavour)"; status=1; }
  fi
  if [ "${1:-}" = "--bench" ] && [ $flavour = esnext ]; then (cd "$dir" && "$root/node_modules/.bin/vitest" bench --run --root "$dir") || status=1; fi
done
echo "sandbox: $base (exit $status)"
exit $status
