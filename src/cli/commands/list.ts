/** `concurrency-kit list [--json]`: the patterns, their descriptions and options. */
import { listPatterns } from '../../patterns/registry.js';
import { describeAccepted } from '../../patterns/options.js';
import { table, type Output } from '../output.js';
import { ExitCode, type ExitCodeValue } from '../../errors.js';

/** Runs `list`. */
export function listCommand(out: Output): ExitCodeValue {
  const manifests = listPatterns();
  if (out.json) {
    out.printJson(
      manifests.map((m) => ({
        id: m.id,
        description: m.description,
        options: m.options.map((o) => ({
          name: o.name,
          type: o.type,
          default: o.default,
          description: o.description,
          ...(o.type === 'integer' || o.type === 'number' ? { min: o.min, max: o.max } : {}),
          ...(o.type === 'enum' ? { choices: o.choices } : {}),
        })),
      })),
    );
    return ExitCode.ok;
  }
  for (const m of manifests) {
    out.print(`${out.style('bold', m.id)}  ${m.description}`);
    if (m.options.length > 0) {
      const rows = m.options.map((o) => [`  ${o.name}`, o.type, JSON.stringify(o.default), describeAccepted(o), o.description]);
      out.print(table(['  option', 'type', 'default', 'accepts', 'description'], rows));
    }
    out.print('');
  }
  out.print(`Add one with: npx concurrency-kit add <pattern> [dir] [--set key=value]`);
  return ExitCode.ok;
}
