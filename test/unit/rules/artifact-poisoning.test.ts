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

const wrNoCheckout = (steps: string) =>
  `on:\n  workflow_run:\n    workflows: [ci]\n    types: [completed]\njobs:\n  post:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
const download = '      - uses: dawidd6/action-download-artifact@v6\n        with:\n          workflow: ci.yml\n';

test('a root download in a job that never checks out or runs workspace files is not reported', () => {
  const uploadOnly = wrNoCheckout(`      - run: pip install smokeshow==0.5.0\n${download}      - run: smokeshow upload coverage-html\n`);
  assert.deepEqual(run('artifact-poisoning', uploadOnly), []);
  const toPages = wrNoCheckout(`${download}      - uses: actions/upload-pages-artifact@v3\n        with:\n          path: site\n`);
  assert.deepEqual(run('artifact-poisoning', toPages), []);
  // Running workspace files before the download is not running the artifact.
  const before = wrNoCheckout(`      - run: ./prepare.sh\n${download}      - run: gh pr comment 1 --body-file report.md\n`);
  assert.deepEqual(run('artifact-poisoning', before), []);
});

test('a root download followed by something that runs workspace files names it', () => {
  const cases: [string, RegExp][] = [
    [`${download}      - run: npm test\n`, /and `npm test` then runs what is there/],
    [`${download}      - run: python -m smokeshow upload coverage-html\n`, /`python -m`/],
    [`${download}      - run: ./post-comment.sh\n`, /`\.\/post-comment\.sh`/],
    [`${download}      - uses: ./.github/actions/report\n`, /the local action `\.\/\.github\/actions\/report`/],
    ['      - run: |\n          gh run download 123\n          make report\n', /`gh run download`.* and `make report` then runs/],
  ];
  for (const [steps, message] of cases) {
    const findings = run('artifact-poisoning', wrNoCheckout(steps));
    assert.equal(findings.length, 1, steps);
    assert.match(findings[0].message, message);
    assert.equal(findings[0].persona, 'regular');
    assert.equal(findings[0].related.length, 1);
  }
  // Over a checkout, with something running it: the message says both.
  const [overCheckout] = run('artifact-poisoning', wr(`${download}      - run: make\n`));
  assert.match(overCheckout.message, /over the trusted checkout, and `make` then runs/);
  // Over a checkout with nothing known to run it: pedantic, low confidence.
  const [quiet] = run('artifact-poisoning', wr(download));
  assert.equal(quiet.persona, 'pedantic');
  assert.equal(quiet.confidence, 'low');
});
