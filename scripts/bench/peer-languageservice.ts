// Bundled separately by scripts/bench/run.mjs (esbuild inlines the package's JSON imports, which Node 20
// refuses without import attributes); loaded by bench.ts only when the bundle could be built.
export { registerLogger, validate } from '@actions/languageservice';
export { TextDocument } from 'vscode-languageserver-textdocument';
