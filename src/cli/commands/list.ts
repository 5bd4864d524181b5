/** `concurrency-kit list [--json]`: the patterns, their descriptions and options. */
import { listPatterns } from '../../patterns/registry.js';
import { describeCondition } from '../../patterns/manifest.js';
import { describeAccepted } from '../../patterns/options.js';
import type { Output } from '../output.js';
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
          ...(o.when !== undefined ? { when: o.when } : {}),
        })),
        ...(m.companions.length > 0 ? { companions: m.companions } : {}),
        ...(m.testDependencies.length > 0 ? { testDependencies: m.testDependencies } : {}),
      })),
    );
    return ExitCode.ok;
  }
  for (const m of manifests) {
    out.print(out.style('bold', m.id));
    out.print(`  ${m.description}`, 0);
    for (const c of m.companions) out.print(`  also writes ${m.id}.${c.role}.ts (${c.with === 'module' ? 'with the module' : 'with the test and bench'}): ${c.description}`, 0);
    if (m.testDependencies.length > 0) out.print(`  its test and bench also need: ${m.testDependencies.join(', ')}`, 0);
    if (m.options.length > 0) {
      out.print('  options (--set key=value):');
      const rows = m.options.map((o) => {
        const condition = describeCondition(o);
        return [o.name, `${describeAccepted(o)}; default ${JSON.stringify(o.default)}${condition ? `; only when ${condition}` : ''}\n${o.description}`];
      });
      out.print(out.table(null, rows, 4).replace(/^/gm, '    '));
    }
    out.print('');
  }
  out.print('Add one with: npx concurrency-kit add <pattern> [dir] [--set key=value]');
  return ExitCode.ok;
}
