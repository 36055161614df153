// Bundles the three entry points with esbuild: the VS Code client, the language server and the CLI.
// `node scripts/build.mjs --watch` rebuilds on change; `--minify` for packaging; `--no-sourcemap` for the npm
// package (its tarball ships no maps). dist/cli.js and dist/server.js start with a shebang: they are the
// package's bins (`actions-warden`, `actions-warden-language-server`).
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';
import { yamlAsEsm } from './esbuild-yaml.mjs';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
const sourcemap = !minify && !process.argv.includes('--no-sourcemap');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: sourcemap ? 'linked' : false,
  minify,
  logLevel: 'info',
  legalComments: 'none',
  plugins: [yamlAsEsm],
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  // A build without maps removes the maps of an earlier build: none is left to point at code it no longer matches.
  if (!sourcemap) for (const { outfile } of builds) rmSync(`${outfile}.map`, { force: true });
}
