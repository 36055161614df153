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

test('with the workspace: the secrets the called workflow of the repository reads are named, or none', async () => {
  const { workspaceOf } = await import('../../support/workspace');
  const caller = 'on: push\njobs:\n  a:\n    uses: ./.github/workflows/publish.yml\n    secrets: inherit\n';
  const reads = workspaceOf({
    '.github/workflows/ci.yml': caller,
    '.github/workflows/publish.yml':
      'on:\n  workflow_call:\n    secrets:\n      PYPI_TOKEN: { required: true }\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n        env:\n          X: ${{ secrets.OTHER }}\n',
  });
  const [finding] = reads.findings('.github/workflows/ci.yml', 'secrets-inherit');
  assert.match(finding.message, /it reads `PYPI_TOKEN`, `OTHER`: pass only those/);
  assert.equal(finding.related[0].uri, 'file:///repo/.github/workflows/publish.yml');
  const none = workspaceOf({
    '.github/workflows/ci.yml': caller,
    '.github/workflows/publish.yml': 'on: workflow_call\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
  });
  assert.match(none.findings('.github/workflows/ci.yml', 'secrets-inherit')[0].message, /it reads no secret: remove `secrets: inherit`/);
  // Not in the workspace: the advice stays general.
  const missing = workspaceOf({ '.github/workflows/ci.yml': caller });
  assert.match(missing.findings('.github/workflows/ci.yml', 'secrets-inherit')[0].message, /pass only the secrets it declares/);
});

test('with the workspace: a called workflow that passes every secret on, or reads a computed name, keeps the general advice', async () => {
  const { workspaceOf } = await import('../../support/workspace');
  const caller = 'on: push\njobs:\n  a:\n    uses: ./.github/workflows/middle.yml\n    secrets: inherit\n';
  const onward = workspaceOf({
    '.github/workflows/ci.yml': caller,
    '.github/workflows/middle.yml': 'on: workflow_call\njobs:\n  m:\n    uses: ./.github/workflows/last.yml\n    secrets: inherit\n',
  });
  assert.match(onward.findings('.github/workflows/ci.yml', 'secrets-inherit')[0].message, /pass only the secrets it declares$/);
  const computed = workspaceOf({
    '.github/workflows/ci.yml': caller,
    '.github/workflows/middle.yml':
      "on: workflow_call\njobs:\n  m:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n        env:\n          X: ${{ secrets[format('{0}_TOKEN', github.job)] }}\n",
  });
  assert.match(computed.findings('.github/workflows/ci.yml', 'secrets-inherit')[0].message, /pass only the secrets it declares$/);
});
