/**
 * Adversarial inputs under a time budget: every rule of the registry on workflows (and an action) built around a
 * 200 KB hostile value in each place a rule reads (run: scripts, with: inputs, if: conditions, env keys and values,
 * uses: refs, job and step names, expressions), every CLI output formatter on findings carrying 200 KB of such
 * text, the configuration reader and the `checksums` glob. A regular expression that backtracks polynomially
 * takes 10 s or more on 200 KB; a linear pass takes milliseconds, so a budget of 2 s per rule and input (4 s on
 * a whole document), stretched on a slow or busy machine in proportion to a baseline parse measured in the same
 * run (baselineMs), separates them without flaking.
 * WARDEN_ADVERSARIAL_VERBOSE=1 prints the slowest rule of each input.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { formatGithub } from '../../server/src/cli/format-github';
import { formatJson } from '../../server/src/cli/format-json';
import { formatSarif } from '../../server/src/cli/format-sarif';
import { formatText } from '../../server/src/cli/format-text';
import type { FileResult } from '../../server/src/cli/results';
import { parseConfig } from '../../server/src/config/config-file';
import { analyze, settleLazyFixes } from '../../server/src/engine';
import { ParsedFile, type FileKind } from '../../server/src/parse/document';
import { wildcardMatch } from '../../server/src/parse/strings';
import { LineIndex } from '../../server/src/parse/text';
import { scriptReadsVariable } from '../../server/src/permissions/run-heuristics';
import { RULES } from '../../server/src/rules';
import type { Finding } from '../../server/src/findings';
import { ADVERSARIAL_UNITS, AUDITOR } from '../support/fuzz';

const SIZE = 200_000;
const RULE_BUDGET_MS = 2_000;
const DOCUMENT_BUDGET_MS = 4_000;

/**
 * How slow this machine is right now, in ms: the faster of two parses of an ordinary 200 KB workflow (tens of
 * ms on an idle machine). Budgets are at least the fixed ones above and at least a multiple of this baseline,
 * so a machine slowed down by other work (CI, parallel test files) stretches them with it, while a quadratic
 * pattern (10 s and more on 200 KB, hundreds of baselines) still fails.
 */
function baselineMs(): number {
  const step = '      - name: build\n        run: echo "building the project" && make all\n';
  const text = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${step.repeat(Math.ceil(SIZE / step.length))}`;
  let best = Infinity;
  for (let round = 0; round < 2; round++) {
    const started = performance.now();
    new ParsedFile('file:///baseline/.github/workflows/x.yml', 'workflow', text);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
const ruleBudget = (baseline: number) => Math.max(RULE_BUDGET_MS, 20 * baseline);
const documentBudget = (baseline: number) => Math.max(DOCUMENT_BUDGET_MS, 40 * baseline);
const VERBOSE = process.env.WARDEN_ADVERSARIAL_VERBOSE === '1';

/** `prefix` + `unit` repeated to 200 KB + `suffix`. */
const pump = (unit: string, prefix = '', suffix = '') => prefix + unit.repeat(Math.ceil(SIZE / unit.length)) + suffix;

/**
 * The hostile values: long runs of the characters and tokens that patterns repeat (each with a suffix that makes
 * a match fail at the very end), in every place; and the near misses of specific readers, in the places those
 * readers look (every unit in every place is the fuzzer's job: `adversarialRun`).
 */
const GENERIC_UNITS = [' ', ' \t', '\n', '/', '@', '?', ' #', '.', '${{ ', '${a', '$(', '`', '$A', '\\"', '*a', 'O'];
assert.ok(GENERIC_UNITS.every((unit) => ADVERSARIAL_UNITS.includes(unit)));
const GENERIC: Record<string, string> = Object.fromEntries(
  GENERIC_UNITS.map((unit) => [`run of ${JSON.stringify(unit)}`, pump(unit, 'a', '!')]),
);
const SPECIFIC: Record<string, string> = {
  'curl option run': pump('O', 'curl -', '! https://example.com/x.sh -o x.sh\n./x.sh'),
  'download URL of ?': pump('?', 'curl -O https://example.com/', '#\nsh x'),
  'gh api path of ?': pump('?', 'gh api -X POST repos/o/r/issues/1/comments', '\n'),
  'unclosed loose list': pump('"allow": [', '{ "permissions": '),
  'escaped quotes in a loose list': pump('\\"', '{ "permissions": { "allow": [ "', '\n'),
  'Bash( with blanks': pump(' \t', 'Bash(', '!'),
  'validated variable': pump(' =~ ', '$A', '!'),
  'expression without end': pump('${{ github.event.issue.title '),
  'nested substitution': pump('$(', 'echo ', '\n'),
  'env braces': pump('${env:', 'echo '),
  'trailing newlines': pump('\n', '${{ true }}'),
  'comment after blanks': pump(' #', 'gh pr comment', '\n'),
  // `@`, `?` and `/` runs followed by a line break: what made `/@.*$/`-style patterns fail at every position.
  '@ before a line break': pump('@', 'a', '\n!'),
  '? before a line break': pump('?', 'a', '\n!'),
  '/ before a line break': pump('/', 'a', '\n!'),
};

/** The value as a YAML block scalar body indented by `indent` (a first line never starts with a blank). */
function block(value: string, indent: string, chomping = ''): string {
  const lines = value.split(/\r\n|\r|\n/);
  if (lines[0].trimStart() !== lines[0] || lines[0] === '') lines[0] = `x${lines[0]}`;
  return `|${chomping}\n${lines.map((line) => (line === '' ? '' : `${indent}${line}`)).join('\n')}`;
}

const quoted = (value: string) => JSON.stringify(value);

const PINNED = '11bd71901bbe5b1630ceea73d27597364c9af683';
const HEADER = ['on: [pull_request_target, issue_comment]', 'permissions: write-all', 'jobs:'];

/** Documents that put the value where rules read it; each document holds a few places, each with the full value. */
const DOCUMENTS: Record<string, { kind: Exclude<FileKind, 'unknown'>; specific: string[]; text: (value: string) => string }> = {
  'run scripts': {
    kind: 'workflow',
    specific: [
      '? before a line break',
      '@ before a line break',
      'curl option run',
      'download URL of ?',
      'gh api path of ?',
      'validated variable',
      'nested substitution',
      'env braces',
      'comment after blanks',
    ],
    text: (value) =>
      [
        ...HEADER,
        '  a:',
        '    runs-on: ubuntu-latest',
        '    env:',
        '      GH_TOKEN: ${{ github.token }}',
        '    steps:',
        `      - uses: actions/checkout@${PINNED}`,
        '        with:',
        '          ref: ${{ github.event.pull_request.head.sha }}',
        '      - shell: bash',
        `        run: ${block(value, '          ')}`,
        `      - run: ${quoted(`curl -sSL ${value} | bash; echo "$A" >> $GITHUB_ENV; gh api ${value}; git push`)}`,
        '      - run: |',
        '          echo "$A" >> "$GITHUB_ENV"',
        `          echo ${quoted(value)} >> $GITHUB_ENV`,
        '',
      ].join('\n'),
  },
  'agent and script inputs': {
    kind: 'workflow',
    specific: ['unclosed loose list', 'escaped quotes in a loose list', 'Bash( with blanks', 'expression without end'],
    text: (value) =>
      [
        ...HEADER,
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        `      - uses: anthropics/claude-code-action@${PINNED} # v1.0.100`,
        '        with:',
        `          claude_args: ${block(value, '            ')}`,
        `          settings: ${block(`{ "permissions": { "allow": ["Bash"] }, ${value}`, '            ')}`,
        `          allowed_tools: ${quoted(value)}`,
        `      - uses: google-github-actions/run-gemini-cli@${PINNED}`,
        '        with:',
        `          settings: ${block(`{ ${value}`, '            ')}`,
        `      - uses: openai/codex-action@${PINNED}`,
        '        with:',
        `          codex-home: ${quoted(value)}`,
        `          safety-strategy: ${quoted(value)}`,
        `      - uses: actions/github-script@${PINNED}`,
        '        with:',
        `          script: ${block(value, '            ')}`,
        '',
      ].join('\n'),
  },
  'conditions and expressions': {
    kind: 'workflow',
    specific: ['trailing newlines', 'expression without end', '@ before a line break'],
    text: (value) =>
      [
        ...HEADER,
        '  a:',
        '    runs-on: ubuntu-latest',
        `    if: ${block(value, '      ', '+')}`,
        '    steps:',
        `      - if: ${quoted(value)}`,
        '        run: echo',
        `      - if: ${quoted(`\${{ ${value} }}`)}`,
        `        run: ${quoted(`echo "\${{ ${value} }}"`)}`,
        `      - run: ${quoted(`echo "\${{ github.event.issue.title }}" ${value}`)}`,
        '',
      ].join('\n'),
  },
  'env keys and values, names': {
    kind: 'workflow',
    specific: ['validated variable'],
    text: (value) =>
      [
        'on: [pull_request_target]',
        `name: ${quoted(value)}`,
        'permissions: write-all',
        'env:',
        `  ${quoted(value)}: \${{ github.token }}`,
        'jobs:',
        `  ${quoted(value.slice(0, 50_000))}:`,
        `    name: ${quoted(value)}`,
        '    runs-on: ubuntu-latest',
        '    env:',
        `      A: ${quoted(value)}`,
        '    steps:',
        `      - name: ${quoted(value)}`,
        '        run: git push; echo "$A" >> $GITHUB_ENV; docker login ghcr.io',
        '',
      ].join('\n'),
  },
  'uses references': {
    kind: 'workflow',
    specific: ['@ before a line break', '/ before a line break'],
    text: (value) =>
      [
        ...HEADER,
        '  a:',
        `    uses: ${quoted(`$/${value}`)}`,
        '  b:',
        `    uses: ${quoted(`./${value}`)}`,
        '  c:',
        '    runs-on: ubuntu-latest',
        `    container: ${quoted(value)}`,
        '    steps:',
        `      - uses: ${quoted(`actions/checkout/${value}@v4`)}`,
        `      - uses: ${quoted(`actions/checkout@${value}`)}`,
        `      - uses: ${quoted(`docker://${value}`)}`,
        `      - uses: actions/upload-artifact@${PINNED}`,
        '        with:',
        `          path: ${block(value, '            ')}`,
        '',
      ].join('\n'),
  },
  'composite action': {
    kind: 'action',
    specific: ['trailing newlines', 'nested substitution'],
    text: (value) =>
      [
        `name: ${quoted(value)}`,
        `description: ${quoted(value)}`,
        'inputs:',
        `  ${quoted(value.slice(0, 50_000))}:`,
        `    default: ${quoted(value)}`,
        'runs:',
        '  using: composite',
        '  steps:',
        `    - if: ${quoted(value)}`,
        '      shell: bash',
        `      run: ${block(value, '        ')}`,
        `    - uses: ${quoted(`$/${value}`)}`,
        '',
      ].join('\n'),
  },
};

/** Rule configuration with hostile values (the checksums map's patterns are matched against download URLs). */
const RULE_CONFIG = (value: string) => ({
  'unverified-download': { checksums: { [`https://${'*a'.repeat(40)}*`]: 'a'.repeat(64), [`${value.slice(0, 2000)}*`]: 'b'.repeat(64) } },
  'forbidden-uses': { deny: [`${value.slice(0, 2000)}/*`, 'actions/*'] },
  'secrets-outside-env': { allow: [value] },
});

/**
 * Runs `run` and times it. A run slower than half the rule budget is repeated once and the faster time kept:
 * a loaded machine (CI, parallel test files) can stall one run for a second, but a super-linear pattern is
 * slow every time, so the budget still catches it without flaking.
 */
function timed<T>(run: () => T): [T, number] {
  let started = performance.now();
  const result = run();
  const first = performance.now() - started;
  if (first <= RULE_BUDGET_MS / 2) return [result, first];
  started = performance.now();
  run();
  return [result, Math.min(first, performance.now() - started)];
}

/** Each rule alone on the document (its fixes computed, as JSON output and --fix do), timed. */
function runRules(name: string, kind: Exclude<FileKind, 'unknown'>, text: string, value: string, baseline: number): Finding[] {
  const [file, parseMs] = timed(
    () => new ParsedFile(`file:///adversarial/${kind === 'action' ? 'action.yml' : '.github/workflows/x.yml'}`, kind, text),
  );
  assert.ok(parseMs < documentBudget(baseline), `${name}: parsing took ${parseMs.toFixed(0)} ms (baseline ${baseline.toFixed(0)} ms)`);
  const all: Finding[] = [];
  let slowest = { id: '', ms: 0 };
  for (const rule of RULES) {
    if (!rule.kinds.includes(kind)) continue;
    const [findings, ms] = timed(() => {
      const found = analyze(file, { ...AUDITOR, rules: [rule], ruleConfig: RULE_CONFIG(value) });
      settleLazyFixes(found, 'compute');
      return found;
    });
    assert.ok(ms < ruleBudget(baseline), `${name}: ${rule.id} took ${ms.toFixed(0)} ms (baseline ${baseline.toFixed(0)} ms)`);
    if (ms > slowest.ms) slowest = { id: rule.id, ms };
    all.push(...findings);
  }
  if (VERBOSE) console.log(`${name}: parse ${parseMs.toFixed(0)} ms, slowest ${slowest.id} ${slowest.ms.toFixed(0)} ms`);
  return all;
}

describe('adversarial inputs: every rule within budget', () => {
  for (const [documentName, document] of Object.entries(DOCUMENTS)) {
    test(documentName, () => {
      const payloads = [...Object.entries(GENERIC), ...document.specific.map((name) => [name, SPECIFIC[name]] as const)];
      for (const [payloadName, value] of payloads) {
        const text = document.text(value);
        const baseline = baselineMs();
        const started = performance.now();
        runRules(`${documentName} / ${payloadName}`, document.kind, text, value, baseline);
        const ms = performance.now() - started;
        assert.ok(
          ms < documentBudget(baseline) * 4,
          `${documentName} / ${payloadName}: all rules took ${ms.toFixed(0)} ms (baseline ${baseline.toFixed(0)} ms)`,
        );
      }
    });
  }
});

describe('adversarial inputs: output formatters within budget', () => {
  const result = (path: string, message: string): FileResult => {
    const text = `on: push\njobs:\n  a:\n    runs-on: ${message.slice(0, 1000)}\n`;
    const lines = new LineIndex(text);
    const finding: Finding = {
      ruleId: 'unpinned-uses',
      severity: 'high',
      confidence: 'high',
      persona: 'regular',
      message,
      span: { start: 0, end: text.length },
      range: lines.range({ start: 0, end: text.length }),
      related: [{ span: { start: 0, end: 2 }, range: lines.range({ start: 0, end: 2 }), message }],
      fixes: [{ title: message, isPreferred: true, safety: 'safe', edits: [{ span: { start: 0, end: 2 }, newText: message }] }],
    };
    return { path, kind: 'workflow', findings: [finding], lines };
  };
  const formatters: Record<string, (results: FileResult[]) => string> = {
    text: (results) => formatText(results, { color: true, codeFrame: true }),
    json: (results) => formatJson(results, { persona: 'auditor', minSeverity: 'informational', offline: true }),
    sarif: (results) => formatSarif(results),
    github: (results) => formatGithub(results),
  };
  for (const [formatName, format] of Object.entries(formatters)) {
    test(formatName, () => {
      for (const [payloadName, value] of Object.entries({ ...GENERIC, ...SPECIFIC })) {
        const [output, ms] = timed(() => format([result(`.github/workflows/${value}.yml`, value), result('x.yml', `a\n${value}\r\nb`)]));
        assert.ok(output.length > 0);
        assert.ok(ms < ruleBudget(baselineMs()), `${formatName} / ${payloadName}: ${ms.toFixed(0)} ms`);
      }
    });
  }
  test('the findings of a hostile run: script, in every format', () => {
    const value = SPECIFIC['gh api path of ?'];
    const text = DOCUMENTS['run scripts'].text(value);
    const findings = runRules('run scripts / gh api', 'workflow', text, value, baselineMs());
    assert.ok(findings.length > 0);
    const results: FileResult[] = [{ path: '.github/workflows/x.yml', kind: 'workflow', findings, lines: new LineIndex(text) }];
    for (const [formatName, format] of Object.entries(formatters)) {
      const [, ms] = timed(() => format(results));
      assert.ok(ms < ruleBudget(baselineMs()), `${formatName}: ${ms.toFixed(0)} ms`);
    }
  });
});

describe('adversarial inputs: configuration and checksum patterns', () => {
  test('the configuration file with hostile values', () => {
    // The units its patterns repeat: blanks, `:` and digits (ignore locations), `/` and `*` (uses patterns), `@`.
    for (const unit of [' ', ' \t', ':1', '/', '*a', '@', '\n']) {
      const payloadName = `run of ${JSON.stringify(unit)}`;
      const value = pump(unit, 'a', '!');
      const text = [
        `persona: ${quoted(value)}`,
        'github:',
        `  server-url: ${quoted(`https://${value}`)}`,
        'rules:',
        '  forbidden-uses:',
        `    ignore: [${quoted(`${value}:1:2`)}, ${quoted(value)}]`,
        '    config:',
        `      deny: [${quoted(value)}]`,
        '  unverified-download:',
        '    config:',
        '      checksums:',
        `        ${quoted(value)}: ${quoted(value)}`,
        'pinning:',
        `  trusted-owners: [${quoted(value)}]`,
        '',
      ].join('\n');
      const [, ms] = timed(() => parseConfig(text, '.github/actions-warden.yml', 'warden'));
      assert.ok(ms < ruleBudget(baselineMs()), `${payloadName}: ${ms.toFixed(0)} ms`);
    }
  });

  test('checksum patterns with many stars match in bounded time', () => {
    const url = `https://${'a'.repeat(SIZE)}`;
    const [matched, ms] = timed(() => wildcardMatch(`https://${'*a'.repeat(60)}*b`, url));
    assert.equal(matched, false);
    assert.ok(ms < ruleBudget(baselineMs()), `${ms.toFixed(0)} ms`);
    assert.equal(wildcardMatch(`https://${'*a'.repeat(60)}*`, url), true);
  });

  test('checksum patterns: what * matches', () => {
    assert.equal(wildcardMatch('https://example.com/v*/tool-*.tar.gz', 'https://example.com/v1.2/tool-linux.tar.gz'), true);
    assert.equal(wildcardMatch('https://example.com/v*/tool-*.tar.gz', 'https://example.com/v1.2/tool-linux.tar.gz.sig'), false);
    assert.equal(wildcardMatch('*', ''), true);
    assert.equal(wildcardMatch('a*', 'b'), false);
    assert.equal(wildcardMatch('a.c', 'abc'), false, '`.` is literal');
    assert.equal(wildcardMatch('*x*y', 'axbxcy'), true);
    assert.equal(wildcardMatch('a*b*c', 'abcbc'), true);
    assert.equal(wildcardMatch('a*b*c', 'abcb'), false);
  });
});

describe('adversarial inputs: env names are never patterns', () => {
  test('a key with regular-expression syntax is matched literally and quickly', () => {
    // (Built into a RegExp, `(x+x+)+y` took exponential time on a run of x, and `(` threw.)
    const [reads, ms] = timed(() => scriptReadsVariable(`echo $${'x'.repeat(27)}`, ['(x+x+)+y', '(', 'x+']));
    assert.equal(reads, false);
    assert.ok(ms < ruleBudget(baselineMs()), `${ms.toFixed(0)} ms`);
    assert.equal(scriptReadsVariable('curl -H "token $GH_TOKEN"', ['GH_TOKEN']), true);
    assert.equal(scriptReadsVariable('echo ${GH_TOKEN}', ['GH_TOKEN']), true);
    assert.equal(scriptReadsVariable('echo $GH_TOKENS', ['GH_TOKEN']), false);
    assert.equal(scriptReadsVariable('node -e "process.env.GH_TOKEN"', ['GH_TOKEN']), true);
    assert.equal(scriptReadsVariable('python -c "os.environ[\'GH_TOKEN\']"', ['GH_TOKEN']), true);
    assert.equal(
      scriptReadsVariable('python -c "os.getenv(\'GH_TOKEN_2\')"', ['GH_TOKEN']),
      true,
      'getenv and environ read a name that begins the key',
    );
    assert.equal(scriptReadsVariable('$env:GH_TOKEN | Out-Null', ['GH_TOKEN']), true);
    assert.equal(scriptReadsVariable('echo $A', ['.']), false, 'a `.` key is not "any character"');
  });
});
