import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { misfeature as rule } from '../../../server/src/rules/misfeature';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

describe('misfeature', () => {
  test('shell: cmd (step and defaults) and setup-python pip-install', () => {
    const text = yaml`
      on: push
      defaults:
        run:
          shell: cmd
      jobs:
        a:
          runs-on: windows-latest
          steps:
            - run: dir
              shell: CMD
            - run: dir
              shell: pwsh
            - uses: actions/setup-python@v5
              with:
                python-version: '3.13'
                pip-install: requests
            - uses: actions/setup-node@v4
              with:
                pip-install: x
    `;
    assert.deepEqual(texts(text, run(rule, text)), ['cmd', 'CMD', 'pip-install']);
  });
});
