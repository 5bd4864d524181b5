import { ts } from 'ts-morph';
const dir = '/work/prec/G/repos/node-redis/packages/client';
const cfg = ts.getParsedCommandLineOfConfigFile(dir + '/tsconfig.json', {}, {...ts.sys, onUnRecoverableConfigFileDiagnostic(){}});
const program = ts.createProgram(cfg.fileNames, cfg.options);
const checker = program.getTypeChecker();
const sf = program.getSourceFiles().find(f=>f.fileName.endsWith('lib/client/pool.ts'));
const visit=(n)=>{ if (ts.isCallExpression(n) && sf.getLineAndCharacterOfPosition(n.getStart()).line+1===442 && n.expression.getText()==='client.on'){ 
  const sig=checker.getResolvedSignature(n); const d=sig?.declaration; console.log('decl kind', d && ts.SyntaxKind[d.kind], d && d.getSourceFile().fileName.split('/').slice(-3).join('/'), d?.type && ts.SyntaxKind[d.type.kind], d?.type?.getText());
  console.log('type', checker.typeToString(checker.getTypeAtLocation(n)).slice(0,200));
  const sym = checker.getSymbolAtLocation(n.expression.name); console.log('sym decls', sym?.declarations?.map(x=>ts.SyntaxKind[x.kind]+' '+x.getSourceFile().fileName.split('/').slice(-2).join('/')+' '+x.getText().slice(0,80)));
 } n.forEachChild(visit)}; visit(sf);
