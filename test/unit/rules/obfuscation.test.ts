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

describe('obfuscation: constant conditions, nested format(), computed keys and inputs', () => {
  const text = yaml`
    on: push
    jobs:
      a:
        runs-on: x
        steps:
          - if: \${{ true }}
            run: echo 1
          - if: 1 != 2
            run: echo 2
          - if: startsWith('a', 'a')
            run: echo 3
          - if: \${{ 'x' == 'y' }}
            run: echo 4
          - if: false
            run: echo 5
          - if: \${{ false }}
            run: echo 6
          - if: github.event_name == 'push' && !cancelled()
            run: echo 7
          - run: echo \${{ format('{0}-{1}', format('{0}{1}', 'a', 'b'), 'c') }}
          - run: echo \${{ inputs[inputs.k] }} \${{ inputs['no-cache'] }} \${{ github[format('{0}', 'sha')] }}
          - uses: actions/cache@3c1b7e0a9d8f6e5d4c3b2a19087f6e5d4c3b2a19
            with: \${{ fromJSON(vars.CACHE) }}
          - uses: actions/cache@3c1b7e0a9d8f6e5d4c3b2a19087f6e5d4c3b2a19
            with:
              path: \${{ github.workspace }}
  `;
  const findings = () => run(rule, text);

  test('constant conditions are reported, except the plain switch-off', () => {
    const found = findings();
    const conditions = found.filter((finding) => /always (true|false)/.test(finding.message));
    assert.deepEqual(texts(text, conditions), ['${{ true }}', '1 != 2', "startsWith('a', 'a')", "${{ 'x' == 'y' }}"]);
    assert.equal(conditions[0].persona, 'pedantic');
    assert.equal(conditions[1].persona, 'regular');
    assert.match(conditions[3].message, /always false/);
  });

  test('nested format() calls are evaluated, with a fix', () => {
    const found = findings().filter((finding) => finding.message.includes('always evaluates to'));
    assert.equal(found.length, 1);
    assert.match(found[0].message, /always evaluates to `ab-c`/);
    checkFix(rule, text, found[0], text.replace("${{ format('{0}-{1}', format('{0}{1}', 'a', 'b'), 'c') }}", 'ab-c'));
  });

  test('a computed key is pedantic, a constant computed key is regular, a literal key is not reported', () => {
    const found = findings().filter((finding) => finding.message.includes('key'));
    assert.deepEqual(texts(text, found), ['inputs[inputs.k]', "format('{0}', 'sha')"]);
    assert.equal(found[0].persona, 'pedantic');
  });

  test('with: computed as a whole is reported; inputs with expressions are not', () => {
    const found = findings().filter((finding) => finding.message.includes('computes the step'));
    assert.deepEqual(texts(text, found), ['${{ fromJSON(vars.CACHE) }}']);
  });
});
