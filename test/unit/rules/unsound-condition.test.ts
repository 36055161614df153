import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { unsoundCondition as rule } from '../../../server/src/rules/unsound-condition';
import { toCRLF, yaml } from '../../support/analysis';
import { checkFix, run, texts } from '../../support/catalogue-rules';

describe('unsound-condition', () => {
  const text = yaml`
    on: push
    jobs:
      a:
        runs-on: x
        if: |
          \${{ github.ref == 'refs/heads/main' }}
        steps:
          - run: echo
            if: >
              \${{ github.event_name == 'push' }}
          - run: echo
            if: \${{ a }} && \${{ b }}
          - run: echo
            if: \${{ github.ref == 'refs/heads/main' }}
          - run: echo
            if: github.ref == 'refs/heads/main'
          - run: echo
            if: |-
              \${{ success() }}
    `;

  test('block scalars keeping a newline and text outside the fence are always true', () => {
    const findings = run(rule, text);
    assert.equal(findings.length, 3);
    assert.deepEqual(
      texts(text, findings).map((t) => t.split('\n')[0]),
      ['|', '>', '${{ a }} && ${{ b }}'],
    );
    assert.deepEqual(findings[2].fixes, []);
  });

  test('fix: | → |-, > → >-', () => {
    const findings = run(rule, text);
    checkFix(rule, text, findings[0], text.replace('if: |\n', 'if: |-\n'));
    checkFix(rule, text, findings[1], text.replace('if: >\n', 'if: >-\n'));
  });

  test('CRLF and keep (+) chomping', () => {
    const crlf = toCRLF('on: push\njobs:\n  a:\n    runs-on: x\n    if: |+\n      ${{ true }}\n\n    steps: []\n');
    const [finding] = run(rule, crlf);
    checkFix(rule, crlf, finding, crlf.replace('if: |+', 'if: |-'));
  });
});
