import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { run } from '../../support/attack-path-rules';

const wr = (steps: string) =>
  `on:\n  workflow_run:\n    workflows: [ci]\n    types: [completed]\njobs:\n  post:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n${steps}`;

test('download of the triggering run into the workspace root', () => {
  assert.equal(
    run(
      'artifact-poisoning',
      wr(
        '      - uses: actions/download-artifact@v4\n        with:\n          run-id: ${{ github.event.workflow_run.id }}\n          github-token: ${{ github.token }}\n',
      ),
    ).length,
    1,
  );
  assert.equal(
    run('artifact-poisoning', wr('      - uses: dawidd6/action-download-artifact@v6\n        with:\n          workflow: ci.yml\n')).length,
    1,
  );
  assert.equal(run('artifact-poisoning', wr('      - run: gh run download ${{ github.event.workflow_run.id }}\n')).length, 1);
});

test('download into a temp directory is fine unless executed or extracted', () => {
  const safe = wr(
    '      - uses: dawidd6/action-download-artifact@v6\n        with:\n          path: ${{ runner.temp }}/pr\n      - run: cat "${{ runner.temp }}/pr/number"\n',
  );
  assert.equal(run('artifact-poisoning', safe).length, 0);
  const bad = wr('      - uses: dawidd6/action-download-artifact@v6\n        with:\n          path: pr\n      - run: bash pr/post.sh\n');
  assert.equal(run('artifact-poisoning', bad).length, 1);
});

test('same-run download-artifact under push is not flagged', () => {
  assert.equal(
    run('artifact-poisoning', 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/download-artifact@v4\n').length,
    0,
  );
});
