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

  test('custom shells that run another interpreter are auditor findings', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          defaults:
            run:
              shell: perl {0}
          steps:
            - run: print "hi"
            - run: puts 1
              shell: ruby {0}
            - run: ls
              shell: /usr/local/bin/nu {0}
    `;
    const found = run(rule, text);
    assert.deepEqual(texts(text, found), ['perl {0}', 'ruby {0}', '/usr/local/bin/nu {0}']);
    assert.match(found[1].message, /Step `puts 1` runs its script with the custom shell `ruby`/);
    assert.equal(found[0].persona, 'auditor');
    assert.equal(found[0].severity, 'informational');
    assert.deepEqual(run(rule, text, { persona: 'regular' }), []);
  });

  test('custom shells that are bash, sh, pwsh or python with options are not findings', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - run: make
              shell: bash -el {0}
            - run: make
              shell: 'script -q -e -c "bash --noprofile --norc -eo pipefail {0}"'
            - run: make
              shell: msys2 {0}
            - run: make
              shell: C:\tools\cygwin\bin\bash.exe -eo pipefail {0}
            - run: make
              shell: pwsh -command ". '{0}'"
            - run: print(1)
              shell: python
            - run: make
              shell: \${{ matrix.shell }}
    `;
    assert.deepEqual(run(rule, text), []);
  });
});
