import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeUsesPath, obfuscation as rule } from '../../../server/src/rules/obfuscation';
import { yaml } from '../../support/analysis';
import { checkFix, run, texts } from '../../support/catalogue-rules';

describe('obfuscation', () => {
  test('normalisation keeps leading ..', () => {
    assert.deepEqual(normalizeUsesPath(['a', '.', '', 'b', '..', 'c']), ['a', 'c']);
    assert.deepEqual(normalizeUsesPath(['..', 'action', 'init']), ['..', 'action', 'init']);
  });
  const text = yaml`
    on: push
    jobs:
      a:
        runs-on: x
        steps:
          - uses: actions/checkout/./@v4
          - uses: actions//cache@de0fac2e4500dabe0009e67214ff5f5447ce83dd
          - uses: ./.github/./actions/x
          - uses: ./../action/init
          - run: \${{ 'curl' }} https://example.com
          - run: echo \${{ format('{0}', 'x') }}
          - run: echo \${{ '\${{' }}
          - run: echo \${{ 'a b' }}
          - if: \${{ false }}
            run: echo
          - run: echo \${{ github.sha }}
  `;
  test('paths and constant expressions', () => {
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), [
      'actions/checkout/./@v4',
      'actions//cache@de0fac2e4500dabe0009e67214ff5f5447ce83dd',
      './.github/./actions/x',
      "${{ 'curl' }}",
      "${{ format('{0}', 'x') }}",
      "${{ 'a b' }}",
    ]);
    assert.deepEqual(findings[5].fixes, [], 'no fix when the value is not plain text');
  });
  test('safe fixes', () => {
    const findings = run(rule, text);
    checkFix(
      rule,
      text,
      findings[1],
      text.replace('actions//cache@de0fac2e4500dabe0009e67214ff5f5447ce83dd', 'actions/cache@de0fac2e4500dabe0009e67214ff5f5447ce83dd'),
    );
    checkFix(rule, text, findings[2], text.replace('./.github/./actions/x', './.github/actions/x'));
    checkFix(rule, text, findings[3], text.replace("${{ 'curl' }}", 'curl'));
  });
});

describe('obfuscation: `uses:` paths through the shared normaliser', () => {
  const sha = '3c1b7e0a9d8f6e5d4c3b2a19087f6e5d4c3b2a19';
  const text = yaml`
    on: push
    jobs:
      a:
        runs-on: x
        steps:
          - uses: actions/checkout/.@${sha}
          - uses: actions/checkout/@${sha}
          - uses: actions/cache/../cache@${sha}
          - uses: evil/x/../../actions/checkout@${sha}
          - uses: actions/cache/save@${sha}
          - uses: github/codeql-action/upload-sarif@${sha}
  `;
  test('each spelling is reported with the plain form, and a path that leaves its repository without a fix', () => {
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), [
      `actions/checkout/.@${sha}`,
      `actions/checkout/@${sha}`,
      `actions/cache/../cache@${sha}`,
      `evil/x/../../actions/checkout@${sha}`,
    ]);
    assert.match(findings[0].message, new RegExp(`it is \`actions/checkout@${sha}\``));
    assert.match(findings[3].message, /fetches evil\/x but its `\.\.` segments point outside that repository, at `actions\/checkout`/);
    assert.deepEqual(findings[3].fixes, []);
  });
  test('the fix writes the normal form', () => {
    const findings = run(rule, text);
    checkFix(rule, text, findings[0], text.replace(`actions/checkout/.@${sha}`, `actions/checkout@${sha}`));
    checkFix(rule, text, findings[1], text.replace(`actions/checkout/@${sha}`, `actions/checkout@${sha}`));
    checkFix(rule, text, findings[2], text.replace(`actions/cache/../cache@${sha}`, `actions/cache@${sha}`));
  });
});
