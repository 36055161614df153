// Builds action/dist/cli.js, the CLI bundle that the GitHub Action (action.yml) runs. It is committed, so a
// checkout of a release tag runs without `npm install`; it must therefore be reproducible from the sources:
// not minified, no source map, and no path that depends on where the checkout lives (node_modules is
// addressed as `node_modules/...` under the repository root even when it is a symbolic link elsewhere).
//
//   node scripts/build-action.mjs                 writes action/dist/cli.js
//   node scripts/build-action.mjs --check [FILE]  rebuilds in memory and compares with FILE (default: the
//                                                 committed bundle) byte for byte; exit 1 when they differ
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'action', 'dist', 'cli.js');

// `yaml` from its ES module build, as in scripts/esbuild-yaml.mjs, but addressed through the repository's
// node_modules path rather than its real path, so the bundle's module comments are the same in every checkout.
/** @type {import('esbuild').Plugin} */
const yamlAsEsmInTree = {
  name: 'yaml-as-esm-in-tree',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: join(root, 'node_modules', 'yaml', 'browser', 'index.js') }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: ['server/src/cli.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
  minify: false,
  legalComments: 'none',
  preserveSymlinks: true,
  charset: 'utf8',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [yamlAsEsmInTree],
  logLevel: 'warning',
  write: false,
};

const result = await esbuild.build(options);
const built = result.outputFiles[0].contents;

const checkAt = process.argv.indexOf('--check');
if (checkAt === -1) {
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, built);
  console.log(`wrote ${outfile} (${built.length} bytes)`);
} else {
  const against = process.argv[checkAt + 1] ? resolve(process.argv[checkAt + 1]) : outfile;
  let committed;
  try {
    committed = readFileSync(against);
  } catch (error) {
    console.error(`${against}: ${error.message}; run npm run build:action`);
    process.exit(1);
  }
  if (Buffer.compare(committed, Buffer.from(built)) !== 0) {
    console.error(
      `${against} is not the bundle the sources build (${committed.length} bytes committed, ${built.length} built); run npm run build:action and commit it`,
    );
    process.exit(1);
  }
  console.log(`${against} is up to date`);
}
