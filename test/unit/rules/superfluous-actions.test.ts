import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { superfluousActions as rule } from '../../../server/src/rules/superfluous-actions';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

describe('superfluous-actions', () => {
  test('informational, persona per action', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: x
          steps:
            - uses: andstor/file-existence-action@v3
            - uses: softprops/action-gh-release@v2
            - uses: actions/checkout@v4
    `;
    const all = run(rule, text);
    assert.deepEqual(texts(text, all), ['andstor/file-existence-action', 'softprops/action-gh-release']);
    assert.equal(all[0].severity, 'informational');
    assert.deepEqual(texts(text, run(rule, text, { persona: 'regular' })), ['andstor/file-existence-action']);
  });

  test('the actions a gh, git, docker or rustup command replaces, each with its command', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: x
          steps:
            - uses: dtolnay/rust-toolchain@nightly
            - uses: dtolnay/rust-toolchain@0123456789abcdef0123456789abcdef01234567
            - uses: peter-evans/create-or-update-comment@v4
            - uses: peter-evans/create-pull-request@v7
            - uses: actions-ecosystem/action-remove-labels@v1
            - uses: addnab/docker-run-action@v3
            - uses: dacbd/create-issue-action@v2
            - uses: elgohr/Github-Release-Action@v5
    `;
    const all = run(rule, text);
    assert.deepEqual(texts(text, all), [
      'dtolnay/rust-toolchain',
      'dtolnay/rust-toolchain',
      'peter-evans/create-or-update-comment',
      'peter-evans/create-pull-request',
      'actions-ecosystem/action-remove-labels',
      'addnab/docker-run-action',
      'dacbd/create-issue-action',
      'elgohr/Github-Release-Action',
    ]);
    assert.match(all[0].message, /`rustup toolchain install nightly --profile minimal` and `rustup default nightly`/);
    assert.match(all[1].message, /rustup toolchain install <toolchain>/);
    assert.match(all[3].message, /`gh pr create`/);
    assert.match(all[5].message, /`docker run <image> sh -c …`/);
    assert.match(all[7].message, /`gh release create <tag>/);
    // Only docker-run-action is regular: the others do a little more than one command and stay pedantic.
    assert.deepEqual(texts(text, run(rule, text, { persona: 'regular' })), ['addnab/docker-run-action']);
  });

  test('look-alike and sub-path actions are not in the table', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: x
          steps:
            - uses: dtolnay/rust-toolchain-extra@v1
            - uses: peter-evans/create-pull-request/sub@v7
            - uses: actions-rust-lang/setup-rust-toolchain@v1
    `;
    assert.deepEqual(run(rule, text), []);
  });
});
