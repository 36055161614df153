import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { run, texts } from '../../support/attack-path-rules';
import { expectFindings } from '../../support/expect-findings';

test('secrets-inherit: on the inherit token; local callee is low', () => {
  const text =
    'on: push\njobs:\n  a:\n    uses: org/repo/.github/workflows/r.yml@v1\n    secrets: inherit\n  b:\n    uses: ./.github/workflows/l.yml\n    secrets: inherit\n  c:\n    uses: ./.github/workflows/l.yml\n    secrets:\n      X: ${{ secrets.X }}\n';
  const findings = run('secrets-inherit', text);
  assert.deepEqual(texts(text, findings), ['inherit', 'inherit']);
  assert.deepEqual(
    findings.map((f) => f.severity),
    ['medium', 'low'],
  );
});

describe('secrets-inherit: minimal workflows', () => {
  test('a remote reusable workflow: the `inherit` value', () => {
    const text = 'on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/release.yml@v1\n    secrets: inherit\n';
    expectFindings(text, 'secrets-inherit', [
      ['4:13-4:20', /job `call` passes every repository and organisation secret to `org\/repo\/.github\/workflows\/release.yml@v1`/],
    ]);
  });

  test('a local reusable workflow: same range, said to be of this repository', () => {
    const text = 'on: push\njobs:\n  call:\n    uses: ./.github/workflows/release.yml\n    secrets: inherit\n';
    expectFindings(text, 'secrets-inherit', [['4:13-4:20', /\(a workflow of this repository\)/]]);
  });

  test('secrets passed by name are not flagged', () => {
    expectFindings(
      'on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/release.yml@v1\n    secrets:\n      TOKEN: ${{ secrets.TOKEN }}\n',
      'secrets-inherit',
      [],
    );
  });

  test('no secrets passed is not flagged', () => {
    expectFindings('on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/release.yml@v1\n', 'secrets-inherit', []);
  });
});
