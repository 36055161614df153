import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { findingsOf, spanText } from '../../support/analysis';
import { expectFindings } from '../../support/expect-findings';

const E = (path: string) => '${{ ' + path + ' }}';
const wf = (on: string, steps: string, extra = '') =>
  `on: ${on}\n${extra}jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

describe('unredacted-secrets', () => {
  it('unredacted-secrets: fromJSON(secrets.X)', () => {
    const text = wf(
      'push',
      `      - env:\n          P: ${E('fromJSON(secrets.CREDS).password')}\n          Q: ${E('fromJSON(needs.a.outputs.x)')}\n        run: ./x\n`,
    );
    const found = findingsOf(text, { ruleId: 'unredacted-secrets' });
    assert.deepEqual(
      found.map((f) => spanText(text, f.span)),
      ['fromJSON(secrets.CREDS)'],
    );
  });
});

describe('unredacted-secrets: minimal workflows', () => {
  test('fromJSON(secrets.X): the call, not the property after it', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n        env:\n          V: ${{ fromJSON(secrets.CREDS).password }}\n';
    expectFindings(text, 'unredacted-secrets', [
      ['8:17-8:40', /`fromJSON\(secrets.CREDS\)` yields values the runner does not mask in logs/],
    ]);
  });

  test('any spelling of fromJSON is read', () => {
    const text =
      "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n        env:\n          V: ${{ fromJson(secrets.AWS)['key'] }}\n";
    expectFindings(text, 'unredacted-secrets', [['8:17-8:38', /`fromJSON\(secrets.AWS\)` yields values/]]);
  });

  test('fromJSON of a job output is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n        env:\n          V: ${{ fromJSON(needs.a.outputs.x) }}\n',
      'unredacted-secrets',
      [],
    );
  });

  test('a secret used whole is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n        env:\n          V: ${{ secrets.CREDS }}\n',
      'unredacted-secrets',
      [],
    );
  });
});
