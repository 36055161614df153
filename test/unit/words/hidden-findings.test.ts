/** The CLI says how many high-severity findings the persona or the minimum confidence hides, and how to see them. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hiddenSentence } from '../../../shared/src/hidden';
import { runCli, tree } from '../../support/cli';

// A workflow-level write inherited by one job: high severity, pedantic persona, medium confidence.
const workflow = [
  'name: x',
  'on: push',
  'permissions:',
  '  contents: write',
  'concurrency:',
  '  group: x',
  '  cancel-in-progress: true',
  'jobs:',
  '  a:',
  '    name: a',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: git push',
  '',
].join('\n');

describe('hidden high-severity findings', () => {
  test('the text summary names the count and the persona that shows them', async () => {
    const root = tree({ '.github/workflows/a.yml': workflow });
    const regular = await runCli(['--no-color', '.'], { cwd: root });
    assert.match(regular.stdout, /^1 high finding hidden by the regular persona: --persona pedantic shows it$/m);
    const pedantic = await runCli(['--no-color', '--persona', 'pedantic', '.'], { cwd: root });
    assert.match(pedantic.stdout, /high excessive-permissions/);
    assert.doesNotMatch(pedantic.stdout, /hidden/);
  });

  test('the minimum confidence is named when it is what hides them', async () => {
    const root = tree({ '.github/workflows/a.yml': workflow });
    const strict = await runCli(['--no-color', '--persona', 'pedantic', '--min-confidence', 'high', '.'], { cwd: root });
    assert.match(strict.stdout, /^1 high finding hidden by the minimum confidence: --min-confidence medium shows it$/m);
  });

  test('SARIF records the persona, the thresholds and the hidden count in the run properties', async () => {
    const root = tree({ '.github/workflows/a.yml': workflow });
    const { stdout } = await runCli(['--format', 'sarif', '.'], { cwd: root });
    const run = JSON.parse(stdout).runs[0];
    assert.deepEqual(run.properties, { persona: 'regular', minSeverity: 'informational', minConfidence: 'low', hiddenHighFindings: 1 });
    const auditor = JSON.parse((await runCli(['--format', 'sarif', '--persona', 'auditor', '.'], { cwd: root })).stdout).runs[0];
    assert.equal(auditor.properties.persona, 'auditor');
    assert.equal(auditor.properties.hiddenHighFindings, 0);
  });

  test('the sentence names each persona that shows more, in order, with cumulative counts', () => {
    const switches = { persona: (p: string) => `--persona ${p}`, confidence: (c: string) => `--min-confidence ${c}` };
    assert.equal(
      hiddenSentence({ count: 8, persona: 'regular', byPersona: { auditor: 8, pedantic: 5 }, belowConfidence: 0 }, switches),
      '8 high findings hidden by the regular persona: --persona pedantic shows 5, --persona auditor all 8',
    );
    assert.equal(
      hiddenSentence({ count: 3, persona: 'regular', byPersona: { pedantic: 3, auditor: 3 }, belowConfidence: 0 }, switches),
      '3 high findings hidden by the regular persona: --persona pedantic shows them',
    );
    assert.equal(hiddenSentence({ count: 0, persona: 'regular', byPersona: {}, belowConfidence: 0 }, switches), null);
    assert.equal(hiddenSentence(null, switches), null);
  });
});
