/**
 * Every export of a generated module, and every public member of its classes and interfaces, carries TSDoc.
 */
import { describe, expect, it } from 'vitest';
import { Node, Project, type JSDocableNode } from 'ts-morph';
import { defaultContext } from '../../src/generate/context.js';
import { renderTemplate } from '../../src/generate/render.js';
import { listPatterns, loadPattern, templateOf } from '../../src/patterns/registry.js';

function undocumented(source: string): string[] {
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('/m.ts', source);
  const missing: string[] = [];
  const hasDoc = (node: JSDocableNode & Node): boolean => node.getJsDocs().some((d) => d.getDescription().trim().length > 0 || d.getTags().length > 0);
  for (const [name, declarations] of file.getExportedDeclarations()) {
    for (const decl of declarations) {
      const docTarget = Node.isVariableDeclaration(decl) ? decl.getVariableStatementOrThrow() : decl;
      if (Node.isJSDocable(docTarget) && !hasDoc(docTarget)) missing.push(name);
      if (Node.isClassDeclaration(decl)) {
        for (const member of decl.getMembers()) {
          if (Node.isConstructorDeclaration(member) && member.getParameters().length === 0) continue;
          const scoped = member as unknown as { hasScopeKeyword?: () => boolean; getScope?: () => string };
          if (scoped.getScope?.() === 'private' || scoped.getScope?.() === 'protected') continue;
          const memberName = (member as unknown as { getName?: () => string }).getName?.() ?? member.getKindName();
          if (memberName.startsWith('#')) continue;
          if (Node.isJSDocable(member) && !hasDoc(member)) missing.push(`${name}.${memberName}`);
        }
      }
      if (Node.isInterfaceDeclaration(decl)) {
        for (const member of decl.getMembers()) {
          if (Node.isJSDocable(member) && !hasDoc(member)) missing.push(`${name}.${(member as unknown as { getName?: () => string }).getName?.() ?? '?'}`);
        }
      }
    }
  }
  return missing;
}

describe('generated modules are documented', () => {
  for (const manifest of listPatterns()) {
    it(`${manifest.id}: every export and public member has TSDoc (the module and its module-side companions)`, () => {
      const pattern = loadPattern(manifest.id);
      for (const role of ['module', ...manifest.companions.filter((c) => c.with === 'module').map((c) => c.role)]) {
        const source = renderTemplate(templateOf(pattern, role), defaultContext(manifest, { moduleFormat: 'esm', asyncDispose: true }, '0.0.0'), `${manifest.id}/${role}`);
        expect(undocumented(source)).toEqual([]);
      }
    });
  }

  it('the check itself catches an undocumented export and member', () => {
    expect(undocumented('/** Doc. */\nexport class A {\n  run(): void {}\n}\nexport const b = 1;\n')).toEqual(['A.run', 'b']);
  });
});
