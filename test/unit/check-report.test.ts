/**
 * The CI writers over plain findings: SARIF valid against the official 2.1.0 schema, GitHub workflow-command
 * escaping, the JUnit shape, the JSON envelope and the pretty code frame.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annotation, escapeData, escapeProperty, formatGithub, formatJson, formatJunit, formatPretty, formatSarif, stepSummary, underFolder, type Finding, type ReportInput } from '../../src/report/index.js';
import { folderInRepository } from '../../src/project/root.js';
import { ruleInfos } from '../../src/check/engine.js';
import { MEASURED_PRECISION } from '../../src/check/rules/index.js';
import { sarifValidator } from '../helpers/sarif-schema.js';


function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'leak.timers',
    severity: 'error',
    file: 'src/a.ts',
    line: 2,
    column: 3,
    endLine: 2,
    endColumn: 14,
    message: 'The handle of this setInterval is discarded.',
    fix: 'Clear it in close().',
    fingerprint: '0123456789abcdef0123456789abcdef',
    ...over,
  };
}

function input(findings: Finding[], files = ['src/a.ts', 'src/b ü.ts']): ReportInput {
  return { tool: { name: 'concurrency-kit check', version: '1.2.3', informationUri: 'https://www.npmjs.com/package/concurrency-kit', rules: ruleInfos() }, findings, files, suppressed: 1 };
}

describe('sarif', () => {
  it('validates against the SARIF 2.1.0 schema, with rules, helpUri, relative URIs and partialFingerprints', async () => {
    const validate = await sarifValidator();
    const log = JSON.parse(formatSarif(input([finding(), finding({ ruleId: 'bound.concurrency', severity: 'warning', file: 'src/b ü.ts', line: 7 })]))) as {
      runs: [{ tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleIndex: number; locations: [{ physicalLocation: { artifactLocation: { uri: string } } }]; partialFingerprints: Record<string, string> }[] }];
    };
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r) => r.id)).toContain('leak.timers');
    expect(run.tool.driver.rules.every((r) => r.helpUri.includes('#check-'))).toBe(true);
    expect(run.results[1]?.locations[0].physicalLocation.artifactLocation.uri).toBe('src/b%20%C3%BC.ts');
    expect(run.tool.driver.rules[run.results[0]?.ruleIndex ?? -1]?.id).toBe('leak.timers');
    expect(Object.values(run.results[0]?.partialFingerprints ?? {})).toEqual(['0123456789abcdef0123456789abcdef']);
  });

  it("gives code scanning each measured rule's precision level, and none to a rule measured on fewer than five findings", () => {
    const log = JSON.parse(formatSarif(input([finding()]))) as { runs: [{ tool: { driver: { rules: { id: string; properties?: { precision?: string } }[] } } }] };
    const precision = new Map(log.runs[0].tool.driver.rules.map((r) => [r.id, r.properties?.precision]));
    for (const [id, measured] of Object.entries(MEASURED_PRECISION)) {
      const ratio = measured.truePositives / measured.reported;
      const expected = measured.reported < 5 ? undefined : ratio >= 0.9 ? 'very-high' : ratio >= 0.8 ? 'high' : ratio >= 0.5 ? 'medium' : 'low';
      expect(precision.get(id), id).toBe(expected);
    }
    expect(precision.get('errors.async-executor')).toBe('very-high');
    expect(precision.get('bound.concurrency')).toBe('low');
    expect(precision.get('lock.release')).toBeUndefined();
  });

  it('the validator rejects a log that breaks the schema (the check can fail)', async () => {
    const validate = await sarifValidator();
    const log = JSON.parse(formatSarif(input([finding()]))) as { runs: [{ results: [{ level: string }] }] };
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
  });
});

describe('github', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const line = annotation(finding({ file: 'src/we,ird:name.ts', message: 'ratio 50%: bad\nreally' }));
    expect(line).toBe(
      '::error file=src/we%2Cird%3Aname.ts,line=2,col=3,endLine=2,endColumn=14,title=leak.timers::ratio 50%25: bad%0Areally%0AFix: Clear it in close().',
    );
    expect(line.split('\n')).toHaveLength(1);
  });

  it('uses ::warning for warnings, one line per finding, nothing when clean', () => {
    expect(formatGithub(input([finding({ severity: 'warning' })]))).toMatch(/^::warning file=src\/a\.ts,/);
    expect(formatGithub(input([]))).toBe('');
  });

  it('the step summary is a markdown table of every finding, with pipes escaped', () => {
    const text = stepSummary(input([finding({ message: 'a | b' }), finding({ line: 9 })]));
    expect(text).toContain('| Severity | Rule | Location | Message |');
    expect(text).toContain('| error | `leak.timers` | `src/a.ts:2:3` | a \\| b |');
    expect(text).toContain('`src/a.ts:9:3`');
    expect(text).toContain('2 findings (2 errors, 0 warnings) in 2 files; 1 suppressed.');
  });
});

describe('junit', () => {
  it('has one testsuite per file and one testcase per rule in it, failed where the rule reported', () => {
    const rules = ruleInfos();
    const xml = formatJunit(input([finding(), finding({ line: 5, message: 'second <one> & "quoted"' })]));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="concurrency-kit check"')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(2 * rules.length);
    expect(xml).toContain(`<testsuites name="concurrency-kit check" tests="${String(2 * rules.length)}" failures="1">`);
    expect(xml).toContain('<testcase classname="src/a.ts" name="leak.timers">\n      <failure message="2 findings" type="leak.timers">');
    expect(xml).toContain('second &lt;one&gt; &amp; &quot;quoted&quot;');
    expect(xml).toContain('<testcase classname="src/b ü.ts" name="leak.timers"/>');
  });
});

describe('json', () => {
  it('is one envelope with summary and findings; ok follows --fail-on', () => {
    const doc = JSON.parse(formatJson(input([finding({ severity: 'warning' })]), 'error')) as Record<string, unknown>;
    expect(doc).toEqual({
      schemaVersion: 1,
      tool: 'concurrency-kit check',
      version: '1.2.3',
      ok: true,
      summary: { files: 2, findings: 1, errors: 0, warnings: 1, suppressed: 1 },
      findings: [finding({ severity: 'warning' })],
    });
    expect((JSON.parse(formatJson(input([finding({ severity: 'warning' })]), 'warning')) as { ok: boolean }).ok).toBe(false);
  });
});

describe('pretty', () => {
  it('groups by file, shows file:line:col, rule, message, a 3-line frame with a caret, the fix and a summary', () => {
    const source = 'const a = 1;\nconst timer = setInterval(f, 10);\nexport {};\n';
    const text = formatPretty(input([finding({ column: 15, endColumn: 33 })]), (f) => (f === 'src/a.ts' ? source : undefined));
    expect(text).toBe(
      [
        'src/a.ts',
        '  src/a.ts:2:15  error  leak.timers  The handle of this setInterval is discarded.',
        '      1 | const a = 1;',
        '    > 2 | const timer = setInterval(f, 10);',
        '        |               ^^^^^^^^^^^^^^^^^^',
        '      3 | export {};',
        '    Fix: Clear it in close().',
        '',
        '1 finding (1 error, 0 warnings) in 2 files; 1 suppressed.',
        '',
      ].join('\n'),
    );
  });
});

describe('paths from the repository root', () => {
  it('underFolder puts a folder before every path, and leaves the input alone for none', () => {
    const base: ReportInput = { ...input([finding()]), skipped: [{ ruleId: 'x', file: 'src/b ü.ts', reason: 'manual' }] };
    const moved = underFolder(base, 'packages/app');
    expect(moved.findings.map((f) => f.file)).toEqual(['packages/app/src/a.ts']);
    expect(moved.files).toEqual(['packages/app/src/a.ts', 'packages/app/src/b ü.ts']);
    expect(moved.skipped?.map((s) => s.file)).toEqual(['packages/app/src/b ü.ts']);
    expect(moved.findings[0]?.fingerprint).toBe(base.findings[0]?.fingerprint);
    expect(underFolder(base, '')).toBe(base);
  });

  it('folderInRepository asks git, else GITHUB_WORKSPACE, else nothing', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ck-repo-')));
    try {
      const app = join(dir, 'packages', 'app');
      mkdirSync(app, { recursive: true });
      expect(await folderInRepository(app, { GITHUB_WORKSPACE: dir })).toBe('packages/app');
      expect(await folderInRepository(app, { GITHUB_WORKSPACE: join(dir, 'elsewhere') })).toBe('');
      expect(await folderInRepository(app, {})).toBe('');
      execFileSync('git', ['init', '-q'], { cwd: dir });
      expect(await folderInRepository(app, {})).toBe('packages/app');
      expect(await folderInRepository(dir, {})).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
