import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/generate/render.js';
import { readdirSync } from 'node:fs';
import { listPatterns, loadPattern, rolesFor, templateOf, TEMPLATES_DIR } from '../../src/patterns/registry.js';
import { defaultContext } from '../../src/generate/context.js';
import { ANY_BANNER, BANNER } from '../../src/verify/find.js';
import { TemplateError, UnknownPatternError } from '../../src/errors.js';
import type { TemplateContext } from '../../src/generate/context.js';

const context = (over: Partial<TemplateContext> = {}): TemplateContext => ({
  kit: { name: 'concurrency-kit', version: '9.9.9' },
  pattern: { id: 'demo', description: 'd' },
  name: 'Demo',
  options: { size: 3, mode: 'wait' },
  moduleSpecifier: './demo.js',
  specifiers: { module: './demo.js' },
  stems: { module: 'demo' },
  target: { moduleFormat: 'esm', asyncDispose: true },
  ...over,
});

describe('rendering', () => {
  it('does not HTML-escape TypeScript generics or strings', () => {
    const out = renderTemplate('const m: Map<K, V> = new Map(); const s = "{{options.mode}}" && a < b && c > d;', context(), 't');
    expect(out).toBe('const m: Map<K, V> = new Map(); const s = "wait" && a < b && c > d;');
  });

  it('fails loudly on a field the context does not have (strict mode)', () => {
    expect(() => renderTemplate('{{options.missing}}', context(), 'demo/module.ts.hbs')).toThrow(TemplateError);
    expect(() => renderTemplate('{{options.missing}}', context(), 'demo/module.ts.hbs')).toThrow(/demo\/module\.ts\.hbs/);
  });

  it('offers eq and json helpers', () => {
    expect(renderTemplate('{{#if (eq options.mode "wait")}}W{{else}}R{{/if}} {{json options.mode}}', context(), 't')).toBe('W "wait"');
  });

  it('renders the banner with pattern id and kit version, matching what verify looks for', () => {
    const out = renderTemplate('{{> banner}}\nexport {};\n', context(), 't');
    const match = BANNER.exec(out);
    expect(match?.[1]).toBe('9.9.9');
    expect(match?.[2]).toBe('demo');
    expect(out).toMatch(/Safe to edit/);
    expect(out).toMatch(/\nexport \{\};\n$/);
  });

  it('calls dispose by the declared symbol or through the runtime hook, inline', () => {
    expect(renderTemplate('await {{> asyncDisposeCall value="pool"}};', context(), 't')).toBe('await pool[Symbol.asyncDispose]();');
    const fallback = renderTemplate('await {{> asyncDisposeCall value="pool"}};', context({ target: { moduleFormat: 'cjs', asyncDispose: false } }), 't');
    expect(fallback).toMatch(/^await \(\(pool as unknown as Record<symbol/);
    expect(fallback).toMatch(/\.call\(pool\);$/);
  });
});

describe('the shipped patterns', () => {
  const manifests = listPatterns();

  it('are registered by folder, sorted by id', () => {
    const folders = readdirSync(TEMPLATES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('_')).map((e) => e.name).sort();
    expect(manifests.map((m) => m.id)).toEqual(folders);
    expect(folders).toEqual(expect.arrayContaining(['rate-limiter', 'sharded-cache', 'worker-pool']));
  });

  it('reject an unknown id, listing the known ones', () => {
    expect(() => loadPattern('no-such-pattern')).toThrow(UnknownPatternError);
    expect(() => loadPattern('no-such-pattern')).toThrow(new RegExp(`Available patterns: ${manifests.map((m) => m.id).join(', ')}`));
  });

  for (const manifest of manifests) {
    for (const variant of [
      { moduleFormat: 'esm', asyncDispose: true },
      { moduleFormat: 'esm', asyncDispose: false },
      { moduleFormat: 'cjs', asyncDispose: false },
    ] as const) {
      it(`${manifest.id} renders every file (${variant.moduleFormat}, asyncDispose ${variant.asyncDispose})`, () => {
        const pattern = loadPattern(manifest.id);
        const ctx = defaultContext(manifest, variant, '9.9.9');
        const companions = new Set(manifest.companions.map((c) => c.role));
        for (const role of rolesFor(manifest, { test: true, bench: true })) {
          const out = renderTemplate(templateOf(pattern, role), ctx, `${manifest.id}/${role}`);
          expect(out).not.toMatch(/&lt;|&gt;|&amp;|&#x27;|&quot;/);
          if (companions.has(role)) {
            // A companion names its pattern and part, and is never taken for a module.
            expect(ANY_BANNER.exec(out)?.slice(2, 4)).toEqual([manifest.id, role]);
            expect(BANNER.test(out)).toBe(false);
            continue;
          }
          expect(BANNER.exec(out)?.[2]).toBe(manifest.id);
          if (role === 'module') {
            // The primary export is a class (WorkerPool) or, for function-first patterns, a function (fanOut).
            expect(out).toMatch(new RegExp(`^export (?:class|function) ${manifest.defaultName}\\b`, 'm'));
            // Zero runtime dependencies: Node's own modules at most.
            expect(out).not.toMatch(/^import (?!.*\bfrom '(node:[a-z_/]+|\.\/[^']+)';$)/m);
            // The dispose hook is declared only when the lib has the symbol: asyncDispose for an owner with close(),
            // Symbol.dispose for a function-only module's disposable handles.
            const hook = out.includes('close(): Promise<void>') ? '[Symbol.asyncDispose]()' : '[Symbol.dispose]()';
            expect(out.includes(hook)).toBe(variant.asyncDispose);
          } else {
            expect(out).toContain(`from '${ctx.moduleSpecifier}'`);
          }
        }
      });
    }

    it(`${manifest.id} uses --name for its primary export`, () => {
      const pattern = loadPattern(manifest.id);
      const out = renderTemplate(
        pattern.templates.module,
        // The manifest's own context (companion specifiers included: thread-pool's module imports its worker side's types).
        { ...defaultContext(manifest, { moduleFormat: 'esm', asyncDispose: true }, '9.9.9'), name: 'Renamed' },
        manifest.id,
      );
      expect(out).toMatch(/^export (?:class|function) Renamed\b/m);
      expect(out).not.toMatch(new RegExp(`^export (?:class|function) ${manifest.defaultName}\\b`, 'm'));
    });
  }
});
