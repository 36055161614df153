import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { findingsOf, spanText } from '../../support/analysis';
import { expectFindings } from '../../support/expect-findings';

const E = (path: string) => '${{ ' + path + ' }}';
const wf = (on: string, steps: string, extra = '') =>
  `on: ${on}\n${extra}jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

describe('overprovisioned-secrets', () => {
  it("overprovisioned-secrets: toJSON(secrets) and computed secrets[...] but not secrets.X or secrets['X']", () => {
    const text = wf(
      'push',
      `      - env:\n          ALL: ${E('toJSON(secrets)')}\n          ONE: ${E("secrets[format('{0}_TOKEN', matrix.x)]")}\n          OK: ${E('secrets.NPM_TOKEN')}\n          OK2: ${E("secrets['NPM_TOKEN']")}\n        run: ./x\n`,
    );
    const found = findingsOf(text, { ruleId: 'overprovisioned-secrets' });
    assert.deepEqual(
      found.map((f) => spanText(text, f.span)),
      ['toJSON(secrets)', "secrets[format('{0}_TOKEN', matrix.x)]"],
    );
  });
});

describe('overprovisioned-secrets: minimal workflows', () => {
  test('toJSON(secrets): the call', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n        env:\n          V: ${{ toJSON(secrets) }}\n';
    expectFindings(text, 'overprovisioned-secrets', [
      ['8:17-8:32', /`toJSON\(secrets\)` loads every secret of the repository into this job/],
    ]);
  });

  test('secrets[...] with a computed name: the index expression', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n        env:\n          V: ${{ secrets[matrix.name] }}\n';
    expectFindings(text, 'overprovisioned-secrets', [['8:17-8:37', /`secrets\[\.\.\.\]` with a computed name loads every secret/]]);
  });

  test('secrets.NAME is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n        env:\n          V: ${{ secrets.NPM_TOKEN }}\n',
      'overprovisioned-secrets',
      [],
    );
  });

  test("secrets['NAME'] is not flagged", () => {
    expectFindings(
      "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n        env:\n          V: ${{ secrets['NPM_TOKEN'] }}\n",
      'overprovisioned-secrets',
      [],
    );
  });
});
