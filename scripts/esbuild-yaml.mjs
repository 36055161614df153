// An esbuild plugin that bundles `yaml` from its ES module build (the one its package ships for
// bundlers, under `browser/`) instead of its CommonJS build. Bundled as CommonJS, every call to one of
// its functions (`isMap`, `isScalar`, ... thousands per document) went through an interop getter; as ES
// modules they are plain references. Same code, same version: only the module format differs.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const entry = join(dirname(require.resolve('yaml/package.json')), 'browser', 'index.js');

/** @type {import('esbuild').Plugin} */
export const yamlAsEsm = {
  name: 'yaml-as-esm',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
  },
};
