/** Jobs and steps with `if: false` / `${{ false }}` never run: the engine reports nothing inside them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findingsOf, rangeText } from '../support/analysis';

const E = (path: string) => '${{ ' + path + ' }}';
const INJECT = `echo "${E('github.event.pull_request.title')}"`;

function ruleIds(text: string, path?: string): string[] {
  return findingsOf(text, { path }).map((finding) => `${finding.ruleId}@${rangeText(text, finding.range)}`);
}

describe('dead code: if: false', () => {
  const job = (condition: string) =>
    `on: pull_request_target\npermissions: {}\njobs:\n  dead:\n${condition}    runs-on: ubuntu-latest\n    steps:\n      - uses: someone/action@main\n      - run: ${INJECT}\n`;

  test('a live job is reported (the control case)', () => {
    const ids = ruleIds(job(''));
    assert.ok(ids.some((id) => id.startsWith('template-injection@')));
    assert.ok(ids.some((id) => id.startsWith('unpinned-uses@')));
  });

  for (const condition of ['false', '${{ false }}', "'${{false}}'", 'FALSE']) {
    test(`a job with \`if: ${condition}\` has no findings inside it`, () => {
      const text = job(`    if: ${condition}\n`);
      const inside = findingsOf(text).filter((finding) => finding.range.start.line >= 3);
      assert.deepEqual(
        inside.map((finding) => finding.ruleId),
        [],
      );
      // Findings outside the job (the trigger) stay.
      assert.ok(ruleIds(text).some((id) => id === 'dangerous-triggers@pull_request_target'));
    });
  }

  test('a step with `if: false` is dropped; its live neighbour is kept', () => {
    const text = `on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - if: \${{ false }}\n        run: ${INJECT}\n      - run: ${INJECT}\n`;
    const injections = findingsOf(text, { ruleId: 'template-injection' });
    assert.equal(injections.length, 1);
    assert.equal(injections[0].range.start.line, 8);
  });

  test('a condition that is not the constant false keeps the findings', () => {
    for (const condition of ["github.repository == 'a/b'", '${{ false && true }}', 'falsey']) {
      const text = job(`    if: ${condition}\n`);
      assert.ok(findingsOf(text, { ruleId: 'template-injection' }).length > 0, condition);
    }
  });

  test('a composite action step with if: false is dropped', () => {
    const text = `name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - if: false\n      shell: bash\n      run: echo "${E('github.event.issue.title')}"\n`;
    assert.deepEqual(findingsOf(text, { path: 'action.yml', ruleId: 'template-injection' }), []);
  });

  test('an ignore comment inside dead code is not reported as unused', () => {
    const text = job('    if: false\n').replace('someone/action@main', 'someone/action@main # warden: ignore[unpinned-uses]');
    assert.deepEqual(findingsOf(text, { ruleId: 'unused-ignore' }), []);
  });
});
