import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Formatter } from '../../src/generate/format.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('formatting', () => {
  it("formats with the project's prettier config, resolved for the target file", async () => {
    project = createTempProject({ '.prettierrc.json': { semi: false, singleQuote: true } });
    const result = await new Formatter(project.dir).format(join(project.dir, 'src', 'a.ts'), 'const a = "x";\n');
    expect(result).toEqual({ text: "const a = 'x'\n", warning: null });
  });

  it('uses prettier defaults when the project has no config', async () => {
    project = createTempProject({});
    const result = await new Formatter(project.dir).format(join(project.dir, 'a.ts'), "const a = 'x'\n");
    expect(result.text).toBe('const a = "x";\n');
  });

  it('turns a formatting failure into a warning and returns the text unformatted', async () => {
    project = createTempProject({ '.prettierrc.json': '{ this is not json' });
    const source = 'const   a =  1\n';
    const result = await new Formatter(project.dir).format(join(project.dir, 'a.ts'), source);
    expect(result.text).toBe(source);
    expect(result.warning).toMatch(/prettier could not format .*a\.ts; it is written unformatted/);
  });
});
