import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { run } from '../../support/attack-path-rules';
import { expectFindings } from '../../support/expect-findings';

test('unpinned-tools: Trivy #2 setup-trivy without version; pinned is clean', () => {
  const text =
    'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: aquasecurity/setup-trivy@ff1b8b060f23b650436d419b5e13f67f5d4c3087\n';
  assert.equal(run('unpinned-tools', text).length, 1);
  assert.equal(run('unpinned-tools', text.replace(/\n$/, '\n        with:\n          version: v0.69.3\n')).length, 0);
  assert.equal(
    run(
      'unpinned-tools',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: 1password/load-secrets-action@v2\n        with:\n          version: latest\n',
    ).length,
    1,
  );
});

describe('unpinned-tools: minimal workflows', () => {
  test('setup-trivy without `version:`: the uses value', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aquasecurity/setup-trivy@v0.2.2\n';
    expectFindings(text, 'unpinned-tools', [
      ['6:14-6:45', /`aquasecurity\/setup-trivy` installs the latest \(or the action\'s default\) trivy \(no `version:`\)/],
    ]);
  });

  test('`version: latest`: the value', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: 1password/load-secrets-action@v2\n        with:\n          version: latest\n';
    expectFindings(text, 'unpinned-tools', [['8:19-8:25', /`1password\/load-secrets-action` installs `latest` 1Password CLI/]]);
  });

  test('setup-trivy with a pinned version is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aquasecurity/setup-trivy@v0.2.2\n        with:\n          version: v0.69.3\n',
      'unpinned-tools',
      [],
    );
  });

  test('an action that installs no tool is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
      'unpinned-tools',
      [],
    );
  });
});
