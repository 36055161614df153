import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnalysisCache } from '../../server/src/document-cache';
import { analyze, analyzeInSlices, DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../../server/src/engine';
import { ParsedFile } from '../../server/src/parse/document';
import { RULES } from '../../server/src/rules';
import type { Rule } from '../../server/src/rules/types';

const URI = 'file:///repo/.github/workflows/ci.yml';
const TEXT = [
  'on: pull_request_target',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - run: echo "${{ github.event.pull_request.title }}"',
  '',
].join('\n');

/** Rules that each take about `ms` of CPU time, counting their runs. */
function slowRules(count: number, ms: number, runs: { count: number }): Rule[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `slow-${i}`,
    title: 'slow',
    kinds: ['workflow'],
    severity: 'low',
    confidence: 'high',
    persona: 'regular',
    online: false,
    docs: { summary: '', why: '', fix: '' },
    check({ report }) {
      runs.count++;
      const end = performance.now() + ms;
      while (performance.now() < end);
      report({ span: { start: 0, end: 2 }, message: `slow ${i}` });
    },
  }));
}

const doc = (version: number, text = TEXT) => ({ uri: URI, version, getText: () => text });

test('analyzeInSlices finds what analyze finds, and lets other work in between slices', async () => {
  const file = new ParsedFile(URI, 'workflow', TEXT, 1);
  const sliced = await analyzeInSlices(file, DEFAULT_ANALYSIS_OPTIONS, () => false, 0);
  assert.deepEqual(sliced, analyze(file, DEFAULT_ANALYSIS_OPTIONS));
  assert.ok(sliced!.length > 0);

  const runs = { count: 0 };
  const options: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, rules: slowRules(20, 5, runs) };
  let interleaved = -1;
  setImmediate(() => (interleaved = runs.count));
  const findings = await analyzeInSlices(file, options, () => false, 10);
  assert.equal(findings!.length, 20);
  assert.ok(interleaved > 0 && interleaved < 20, `other work ran after ${interleaved} of 20 rules`);
});

test('AnalysisCache.getAsync shares one computation per version and a newer version cancels the older one', async () => {
  const runs = { count: 0 };
  const cache = new AnalysisCache({ ...DEFAULT_ANALYSIS_OPTIONS, rules: slowRules(30, 5, runs) });
  const first = cache.getAsync(doc(1));
  assert.equal(cache.getAsync(doc(1)), first, 'one computation for one version');
  const second = cache.getAsync(doc(2, TEXT.replace('build', 'test')));
  assert.equal(await first, null, 'the older version is cancelled');
  const analysis = await second;
  assert.equal(analysis?.version, 2);
  assert.equal(analysis?.findings.length, 30);
  assert.ok(runs.count < 60, `the cancelled analysis stopped early (${runs.count} rule runs for 30 rules)`);
  assert.equal(await cache.getAsync(doc(2)), analysis, 'then cached');
  assert.equal(cache.get(doc(2)), analysis);
});

test('AnalysisCache: options changes, deletes and synchronous gets settle a pending analysis correctly', async () => {
  const cache = new AnalysisCache({ ...DEFAULT_ANALYSIS_OPTIONS, rules: slowRules(10, 3, { count: 0 }) });
  const pending = cache.getAsync(doc(1));
  cache.setOptions({ ...DEFAULT_ANALYSIS_OPTIONS, rules: RULES });
  assert.equal(await pending, null, 'computed under the old options: not kept');
  const fresh = await cache.getAsync(doc(1));
  assert.ok(fresh && !fresh.findings.some((finding) => finding.ruleId.startsWith('slow-')), 'the new options apply');

  const deleted = cache.getAsync(doc(2));
  cache.delete(URI);
  assert.equal(await deleted, null);
  assert.equal(cache.size, 0);

  const racing = cache.getAsync(doc(3));
  const now = cache.get(doc(3));
  assert.equal(await racing, now, 'a synchronous get of the same version answers the pending callers too');
});
