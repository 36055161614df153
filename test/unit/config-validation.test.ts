/**
 * Validation of `rules:` in the configuration file: rule ids (a misspelling gets a "did you mean"), and
 * each rule's `config` options against the table of what it takes (server/src/config/rule-options.ts):
 * types, ranges, known keys and uses-pattern syntax, each problem at the offending text.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig, type ConfigFormat } from '../../server/src/config/config-file';
import { pinPolicyFor } from '../../server/src/config/pin-policy';
import { usesPatternProblem } from '../../server/src/config/rule-options';

/** `[text under the problem, level, message]` of every problem. */
function problemsOf(text: string, format: ConfigFormat = 'warden'): [string, string, string][] {
  const config = parseConfig(text, '/repo/.github/actions-warden.yml', format);
  return config.problems.map((problem) => [text.slice(problem.span.start, problem.span.end), problem.level, problem.message]);
}
const optionsOf = (text: string, id: string) => parseConfig(text, '/repo/.github/actions-warden.yml', 'warden').rules[id]?.config;

describe('rules.<id>.config: dependabot-cooldown days', () => {
  for (const bad of ['0', '-1', 'lol', '2.5', '[7]', "'7'"]) {
    test(`days: ${bad} is refused at the value and the default applies`, () => {
      const text = `rules:\n  dependabot-cooldown:\n    config:\n      days: ${bad}\n`;
      const problems = problemsOf(text);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      const [under, level, message] = problems[0];
      assert.equal(under, bad);
      assert.equal(level, 'error');
      assert.match(message, /`rules\.dependabot-cooldown\.config\.days` must be a whole number of at least 1/);
      assert.deepEqual(optionsOf(text, 'dependabot-cooldown'), {});
    });
  }

  test('days: 14 is taken; an unknown option gets a "did you mean"', () => {
    assert.deepEqual(problemsOf('rules:\n  dependabot-cooldown:\n    config:\n      days: 14\n'), []);
    assert.deepEqual(optionsOf('rules:\n  dependabot-cooldown:\n    config:\n      days: 14\n', 'dependabot-cooldown'), { days: 14 });
    const typo = 'rules:\n  dependabot-cooldown:\n    config:\n      dayz: 14\n';
    assert.deepEqual(problemsOf(typo), [['dayz', 'error', 'Unknown option `rules.dependabot-cooldown.config.dayz`: did you mean `days`?']]);
    assert.deepEqual(optionsOf(typo, 'dependabot-cooldown'), {});
  });

  test('an option far from every known one is a warning naming them; a rule without options says so', () => {
    assert.deepEqual(problemsOf('rules:\n  forbidden-uses:\n    config:\n      everything: true\n'), [
      ['everything', 'warning', 'Unknown option `rules.forbidden-uses.config.everything`: expected allow, deny.'],
    ]);
    assert.deepEqual(problemsOf('rules:\n  artipacked:\n    config:\n      strict: true\n'), [
      ['strict', 'warning', '`artipacked` takes no options: `rules.artipacked.config.strict` is ignored.'],
    ]);
  });
});

describe('rule ids under rules:', () => {
  test('a misspelled id is an error with a "did you mean", in our file and in zizmor\'s', () => {
    const text = 'rules:\n  artipaked:\n    disable: true\n';
    const expected: [string, string, string][] = [
      ['artipaked', 'error', '`artipaked` is not a rule of Actions Warden: did you mean `artipacked`? Its settings apply to no rule.'],
    ];
    assert.deepEqual(problemsOf(text), expected);
    assert.deepEqual(problemsOf(text, 'zizmor'), expected);
    assert.deepEqual(
      problemsOf('rules:\n  dangerous-trigger:\n    disable: true\n')[0]?.[2].match(/did you mean `([^`]+)`/)?.[1],
      'dangerous-triggers',
    );
  });

  test("an id close to none: a warning in our file, nothing in zizmor's (it may be a zizmor audit we lack)", () => {
    const text = 'rules:\n  some-zizmor-only-audit:\n    disable: true\n';
    assert.deepEqual(problemsOf(text), [
      ['some-zizmor-only-audit', 'warning', '`some-zizmor-only-audit` is not a rule of Actions Warden: its settings apply to no rule.'],
    ]);
    assert.deepEqual(problemsOf(text, 'zizmor'), []);
  });

  test("every real id, and the engine's own (unused-ignore), is accepted", () => {
    assert.deepEqual(
      problemsOf('rules:\n  artipacked: { disable: true }\n  unused-ignore: { disable: true }\n  template-injection: {}\n'),
      [],
    );
  });
});

describe("uses patterns (zizmor's meaning)", () => {
  test('valid patterns', () => {
    for (const pattern of ['*', 'actions/*', 'actions/checkout', 'owner/repo/*', 'owner/repo/sub/path']) {
      assert.equal(usesPatternProblem(pattern, false), null, pattern);
      assert.equal(usesPatternProblem(`${pattern === '*' ? 'a/b' : pattern.replace(/\/\*$/, '/x')}@v1`, true), null, pattern);
    }
  });

  test('invalid patterns, each with a reason', () => {
    for (const pattern of [
      'actions',
      '*/checkout',
      'owner/re*po',
      'owner/repo/*/x',
      'owner//x',
      'own er/x',
      'owner/*/path',
      'a/b@',
      'a/*@v1',
    ]) {
      assert.notEqual(usesPatternProblem(pattern, true), null, pattern);
    }
    assert.match(usesPatternProblem('actions/checkout@v4', false)!, /cannot name one/);
  });

  test('unpinned-uses policies: owner/repo/* is valid and covers the repository and its subpaths; an exact @ref is refused', () => {
    const text =
      'rules:\n  unpinned-uses:\n    config:\n      policies:\n        "github/codeql-action/*": ref-pin\n        actions/checkout@v4: any\n        actions: any\n';
    const problems = problemsOf(text);
    assert.deepEqual(
      problems.map(([under, level]) => [under, level]),
      [
        ['actions/checkout@v4', 'error'],
        ['actions', 'error'],
      ],
    );
    assert.match(problems[0][2], /a pinning policy applies to every ref/);
    const config = optionsOf(text, 'unpinned-uses')!;
    assert.deepEqual(config.policies, { 'github/codeql-action/*': 'ref-pin' });
    assert.equal(pinPolicyFor(config, { owner: 'github', repo: 'codeql-action', subpath: 'init' }), 'ref-pin');
    assert.equal(pinPolicyFor(config, { owner: 'github', repo: 'codeql-action', subpath: null }), 'ref-pin');
    assert.equal(pinPolicyFor(config, { owner: 'github', repo: 'other', subpath: null }), 'hash-pin');
    // The same check for our pinning.policies.
    assert.deepEqual(
      problemsOf('pinning:\n  policies:\n    "my-org/*@main": any\n').map(([under]) => under),
      ['"my-org/*@main"'],
    );
  });

  test('forbidden-uses allow/deny: each bad pattern at its own line, the good ones kept; allow and deny together', () => {
    const text =
      'rules:\n  forbidden-uses:\n    config:\n      allow:\n        - actions/*\n        - astral-sh/setup-uv@v6\n        - "*/checkout"\n        - owner\n';
    assert.deepEqual(
      problemsOf(text).map(([under, level]) => [under, level]),
      [
        ['"*/checkout"', 'error'],
        ['owner', 'error'],
      ],
    );
    assert.deepEqual(optionsOf(text, 'forbidden-uses'), { allow: ['actions/*', 'astral-sh/setup-uv@v6'] });
    const both = 'rules:\n  forbidden-uses:\n    config:\n      allow: [actions/*]\n      deny: [evil/*]\n';
    assert.deepEqual(
      problemsOf(both).map(([under, level]) => [under, level]),
      [['deny', 'warning']],
    );
    assert.deepEqual(optionsOf(both, 'forbidden-uses'), { allow: ['actions/*'] });
    assert.deepEqual(
      problemsOf('rules:\n  forbidden-uses:\n    config:\n      deny: evil/*\n').map(([, , message]) => message),
      ['`rules.forbidden-uses.config.deny` must be a list of uses patterns.'],
    );
  });

  test('secrets-outside-env allow: secret names; unverified-download checksums: sha256 values', () => {
    const text = 'rules:\n  secrets-outside-env:\n    config:\n      allow: [CODECOV_TOKEN, 1PASSWORD, "my token"]\n';
    assert.deepEqual(
      problemsOf(text).map(([under]) => under),
      ['1PASSWORD', '"my token"'],
    );
    assert.deepEqual(optionsOf(text, 'secrets-outside-env'), { allow: ['CODECOV_TOKEN'] });
    const sums = 'rules:\n  unverified-download:\n    config:\n      checksums:\n        https://x.example/a.tgz: abc\n';
    assert.deepEqual(
      problemsOf(sums).map(([under]) => under),
      ['abc'],
    );
  });
});
