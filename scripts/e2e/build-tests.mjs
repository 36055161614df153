// Bundles the end-to-end suite (test/e2e/*.ts) into out/e2e/, the `extensionTestsPath` both runners load.
// `vscode` comes from the extension host and `mocha` from node_modules at run time.
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['test/e2e/index.ts', 'test/e2e/extension.test.ts'],
  outdir: 'out/e2e',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log('e2e suite bundled into out/e2e/');
