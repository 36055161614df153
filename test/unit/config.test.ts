/**
 * Configuration (ours and zizmor's), discovery, how it changes the analysis, pinning policies, inline
 * suppressions in every form, the unused-ignore finding and the "Ignore <rule> on this line" fix.
 * Only the foundation rules run (`rules:`), so peers' new rules do not change these expectations.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { configFindings, optionsWithConfig } from '../../server/src/config/apply';
import { ignoreMatches, parseConfig, parseIgnoreLocation } from '../../server/src/config/config-file';
import { findConfig, loadConfig } from '../../server/src/config/find-config';
import { ignoreFix } from '../../server/src/suppressions/ignore-fix';
import { pinAllowed, pinPolicyFor } from '../../server/src/config/pin-policy';
import { WorkspaceConfigs } from '../../server/src/config/workspace';
import { analyze, DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../../server/src/engine';
import { applyEdits } from '../../server/src/fixes/edits';
import { ParsedFile } from '../../server/src/parse/document';
import { parseUses, type RemoteUses } from '../../server/src/parse/uses';
import { dangerousTriggers } from '../../server/src/rules/dangerous-triggers';
import { excessivePermissions } from '../../server/src/rules/excessive-permissions';
import { unpinnedUses } from '../../server/src/rules/unpinned-uses';
import { tree as makeTree } from '../support/cli';

const RULES = [dangerousTriggers, excessivePermissions, unpinnedUses];
const BASE: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor', rules: RULES };

const tree = (files: Record<string, string>) => makeTree(files, 'warden-config-');

function parse(text: string, path = '.github/workflows/ci.yml'): ParsedFile {
  return new ParsedFile(`file:///repo/${path}`, 'workflow', text);
}
function run(text: string, options: AnalysisOptions = BASE) {
  return analyze(parse(text), options);
}
const ids = (findings: { ruleId: string }[]) => findings.map((finding) => finding.ruleId);

const WORKFLOW = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - uses: my-org/tool@main
`;

describe('config file: our format', () => {
  test('reads every knob', () => {
    const config = parseConfig(
      `persona: pedantic
min-severity: low
min-confidence: medium
github:
  hosts: [github.com, ghe.example.com]
  server-url: https://ghe.example.com
  api-url: https://ghe.example.com/api/v3
pinning:
  trusted-owners: [actions, github]
  policies:
    "my-org/*": any
checksums:
  https://example.com/tool.tar.gz: sha256:${'a'.repeat(64)}
rules:
  excessive-permissions:
    severity: low
    ignore: [ci.yml:6, release.yml]
  dangerous-triggers:
    disable: true
  dependabot-cooldown:
    config:
      days: 7
`,
      '/r/.github/actions-warden.yml',
      'warden',
    );
    assert.deepEqual(config.problems, []);
    assert.equal(config.persona, 'pedantic');
    assert.equal(config.minSeverity, 'low');
    assert.equal(config.minConfidence, 'medium');
    assert.deepEqual(config.githubHosts, ['github.com', 'ghe.example.com']);
    assert.equal(config.githubApiUrl, 'https://ghe.example.com/api/v3');
    assert.deepEqual(config.rules['unpinned-uses'].config, {
      policies: { 'actions/*': 'ref-pin', 'github/*': 'ref-pin', 'my-org/*': 'any' },
    });
    assert.deepEqual(config.rules['unverified-download'].config, { checksums: { 'https://example.com/tool.tar.gz': 'a'.repeat(64) } });
    assert.equal(config.rules['excessive-permissions'].severity, 'low');
    assert.deepEqual(config.rules['excessive-permissions'].ignore, [
      { file: 'ci.yml', line: 6, column: undefined },
      { file: 'release.yml', line: undefined, column: undefined },
    ]);
    assert.equal(config.rules['dangerous-triggers'].disable, true);
    assert.deepEqual(config.rules['dependabot-cooldown'].config, { days: 7 });
  });

  test('errors are problems with the span of the offending value, never exceptions', () => {
    const text = `persona: everyone
rules:
  unpinned-uses:
    disable: maybe
    config:
      policies:
        "actions/*": sometimes
  bad id:
    disable: true
checksums:
  https://x/y: nope
colour: blue
`;
    const config = parseConfig(text, '/r/actions-warden.yml', 'warden');
    const messages = config.problems.map((problem) => [text.slice(problem.span.start, problem.span.end), problem.level]);
    assert.deepEqual(messages, [
      ['everyone', 'error'],
      ['maybe', 'error'],
      ['sometimes', 'error'],
      ['bad id', 'error'],
      ['nope', 'error'],
      ['colour', 'warning'],
    ]);
    const findings = configFindings(config);
    assert.equal(findings[0].ruleId, 'config-error');
    assert.deepEqual(findings[0].range, { start: { line: 0, character: 9 }, end: { line: 0, character: 17 } });
  });

  test('junk of every shape parses to problems', () => {
    for (const text of [
      '',
      '# only a comment\n',
      '- a\n- b\n',
      'rules: 3\n',
      'rules:\n  x: [1]\n',
      'persona: [a]\n',
      ': : :\n',
      'rules: {a: {ignore: {x: 1}}}\n',
      '\u0000\u0001',
      'a: *nope\n',
      'pinning: 1\ngithub: x\n',
    ]) {
      const config = parseConfig(text, '/r/actions-warden.yml', 'warden');
      assert.ok(Array.isArray(config.problems), text);
    }
    assert.deepEqual(parseConfig('', 'x', 'warden').problems, []);
    assert.equal(parseConfig('- a\n', 'x', 'warden').problems.length, 1);
  });

  test("zizmor format: only rules.<id>.{disable,ignore,config,remap} are read; other top-level keys are zizmor's", () => {
    const config = parseConfig(
      `rules:
  dangerous-triggers:
    ignore:
      - documentation-links.yml
  unpinned-uses:
    config:
      policies:
        "*": ref-pin
  template-injection:
    remap:
      severity: low
  excessive-permissions:
    severity: high
`,
      '/r/.github/zizmor.yml',
      'zizmor',
    );
    assert.deepEqual(config.rules['dangerous-triggers'].ignore, [{ file: 'documentation-links.yml', line: undefined, column: undefined }]);
    assert.deepEqual(config.rules['unpinned-uses'].config, { policies: { '*': 'ref-pin' } });
    assert.equal(config.rules['template-injection'].severity, 'low');
    assert.equal(config.rules['excessive-permissions'].severity, undefined, "`severity` is ours, not zizmor's");
    assert.equal(config.problems.length, 1);
    assert.equal(config.problems[0].level, 'warning');
  });

  test('ignore locations: file[:line[:col]]', () => {
    assert.deepEqual(parseIgnoreLocation('ci.yml:12:5'), { file: 'ci.yml', line: 12, column: 5 });
    assert.deepEqual(parseIgnoreLocation('./.github/workflows/ci.yml'), {
      file: '.github/workflows/ci.yml',
      line: undefined,
      column: undefined,
    });
    assert.equal(parseIgnoreLocation('ci.yml:0'), null);
    assert.equal(parseIgnoreLocation(':3'), null);
    const at = parseIgnoreLocation('ci.yml:3')!;
    assert.ok(ignoreMatches(at, '.github/workflows/ci.yml', 3, 3, 1));
    assert.ok(ignoreMatches(at, '.github/workflows/ci.yml', 2, 4, 1), 'a line inside a multi-line finding');
    assert.ok(!ignoreMatches(at, '.github/workflows/ci.yml', 4, 4, 1));
    assert.ok(!ignoreMatches(at, '.github/workflows/xci.yml', 3, 3, 1), 'names match whole segments');
    assert.ok(ignoreMatches(parseIgnoreLocation('ci.yml:3:7')!, 'ci.yml', 3, 3, 7));
    assert.ok(!ignoreMatches(parseIgnoreLocation('ci.yml:3:7')!, 'ci.yml', 3, 3, 8));
  });
});

describe('config applied to the analysis', () => {
  test('disable, severity override, ignore location, persona from the file; explicit overrides win', () => {
    const text =
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: my-org/tool@main\n';
    assert.deepEqual(
      run(text).map((finding) => `${finding.ruleId}:${finding.range.start.line + 1}:${finding.severity}`),
      ['excessive-permissions:2:medium', 'unpinned-uses:6:high', 'unpinned-uses:7:high'],
    );
    const config = parseConfig(
      'persona: regular\nmin-severity: high\nrules:\n  unpinned-uses:\n    ignore: ["ci.yml:7"]\n  excessive-permissions:\n    severity: high\n',
      '/r/actions-warden.yml',
      'warden',
    );
    const options = optionsWithConfig(BASE, config, '.github/workflows/ci.yml');
    assert.equal(options.persona, 'regular');
    const findings = run(text, options);
    assert.deepEqual(
      findings.map((finding) => `${finding.ruleId}:${finding.range.start.line + 1}:${finding.severity}`),
      ['excessive-permissions:2:high', 'unpinned-uses:6:high'],
    );
    const disabled = optionsWithConfig(BASE, parseConfig('rules:\n  unpinned-uses:\n    disable: true\n', 'x', 'zizmor'), 'ci.yml');
    assert.ok(!ids(run(WORKFLOW, disabled)).includes('unpinned-uses'));
    const overridden = optionsWithConfig(BASE, parseConfig('min-severity: high\n', 'x', 'warden'), 'ci.yml', {
      minSeverity: 'informational',
    });
    assert.equal(overridden.minSeverity, 'informational');
    assert.equal(optionsWithConfig(BASE, null, 'ci.yml').persona, 'auditor');
  });

  test('pinning policies: trusted owners may use ref-pins; the most specific pattern wins', () => {
    const options = optionsWithConfig(BASE, parseConfig('pinning:\n  trusted-owners: [actions]\n', 'x', 'warden'), 'ci.yml');
    const findings = run(WORKFLOW, options).filter((finding) => finding.ruleId === 'unpinned-uses');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /my-org\/tool/);
    const remote = (text: string) => parseUses(text) as RemoteUses;
    const policies = { policies: { '*': 'ref-pin', 'my-org/*': 'hash-pin', 'my-org/tool': 'any', 'a/b/sub': 'hash-pin' } };
    assert.equal(pinPolicyFor(policies, remote('other/x@v1')), 'ref-pin');
    assert.equal(pinPolicyFor(policies, remote('my-org/y@v1')), 'hash-pin');
    assert.equal(pinPolicyFor(policies, remote('My-Org/Tool@v1')), 'any');
    assert.equal(pinPolicyFor(policies, remote('a/b/sub@v1')), 'hash-pin');
    assert.equal(pinPolicyFor({}, remote('a/b@v1')), 'hash-pin');
    assert.equal(pinPolicyFor({ policies: 'junk' }, remote('a/b@v1')), 'hash-pin');
    assert.ok(pinAllowed({ policies: { '*': 'ref-pin' } }, remote('a/b@v1')));
    assert.ok(!pinAllowed({ policies: { '*': 'ref-pin' } }, remote('a/b')), 'no ref at all is still flagged');
    assert.ok(!pinAllowed({ policies: { '*': 'ref-pin' } }, remote('a/b@${{ inputs.ref }}')), 'an expression ref is still flagged');
    assert.ok(pinAllowed({ policies: { '*': 'any' } }, remote('a/b')));
  });
});

describe('config discovery', () => {
  test("ours wins over zizmor's; zizmor's where ours is absent; none; stops at the repository root", () => {
    const root = tree({
      'ours/.git/HEAD': '',
      'ours/.github/actions-warden.yml': 'persona: pedantic\n',
      'ours/.github/zizmor.yml': 'rules: {}\n',
      'ours/.github/workflows/ci.yml': WORKFLOW,
      'zizmor/.github/zizmor.yml': 'rules: {}\n',
      'zizmor/.github/workflows/ci.yml': WORKFLOW,
      'rootfile/actions-warden.yaml': 'persona: auditor\n',
      'rootfile/.github/workflows/ci.yml': WORKFLOW,
      'none/.github/workflows/ci.yml': WORKFLOW,
      'nested/.git/HEAD': '',
      'nested/sub/.github/workflows/ci.yml': WORKFLOW,
    });
    const ours = findConfig(join(root, 'ours/.github/workflows'));
    assert.deepEqual(ours && [ours.format, ours.path], ['warden', join(root, 'ours/.github/actions-warden.yml')]);
    assert.equal(loadConfig(ours!.path).persona, 'pedantic');
    const zizmor = findConfig(join(root, 'zizmor/.github/workflows'));
    assert.deepEqual(zizmor && [zizmor.format, zizmor.root], ['zizmor', join(root, 'zizmor')]);
    assert.equal(findConfig(join(root, 'rootfile/.github/workflows'))?.path, join(root, 'rootfile/actions-warden.yaml'));
    assert.equal(findConfig(join(root, 'none/.github/workflows')), null, 'a folder with .github is a root: the walk stops there');
    assert.equal(findConfig(join(root, 'nested/sub/.github/workflows')), null);
    assert.match(loadConfig(join(root, 'missing.yml')).problems[0].message, /could not be read/);
  });

  test('language server store: per-document configuration, editor text wins, config documents get findings', () => {
    const root = tree({
      '.git/HEAD': '',
      '.github/actions-warden.yml': 'rules:\n  unpinned-uses:\n    disable: true\n',
      '.github/workflows/ci.yml': WORKFLOW,
    });
    const store = new WorkspaceConfigs();
    const uri = `file://${join(root, '.github/workflows/ci.yml')}`;
    assert.ok(store.optionsFor(uri, BASE).disabledRules.has('unpinned-uses'));
    const configUri = `file://${join(root, '.github/actions-warden.yml')}`;
    store.setOpenText(configUri, 'persona: pedantic\n');
    store.invalidate();
    const options = store.optionsFor(uri, BASE);
    assert.ok(!options.disabledRules.has('unpinned-uses'));
    assert.equal(options.persona, 'pedantic');
    assert.equal(store.optionsFor('untitled:Untitled-1', BASE), BASE);
    const findings = store.otherFindings({ uri: configUri, getText: () => 'persona: 3\n' });
    assert.deepEqual(ids(findings ?? []), ['config-error']);
    assert.equal(store.otherFindings({ uri, getText: () => '' }), undefined);
    assert.ok(WorkspaceConfigs.isConfigUri('file:///x/.github/zizmor.yml'));
  });
});

describe('inline suppressions', () => {
  const line9 = '      - uses: actions/checkout@v4';
  for (const [name, comment] of [
    ['warden', '# warden: ignore[unpinned-uses]'],
    ['zizmor', '# zizmor: ignore[unpinned-uses]'],
    ['with a reason', '# warden: ignore[unpinned-uses] vendored, reviewed in #123'],
    ['a list', '# warden: ignore[excessive-permissions, unpinned-uses]'],
    ['after another comment', '# v4 # zizmor: ignore[unpinned-uses]'],
  ] as const) {
    test(`${name}: ${comment}`, () => {
      const text = WORKFLOW.replace(line9, `${line9} ${comment}`);
      const unpinned = run(text).filter((finding) => finding.ruleId === 'unpinned-uses');
      assert.deepEqual(
        unpinned.map((finding) => finding.message.match(/`([^`]+)`/)?.[1]),
        ['my-org/tool'],
      );
    });
  }

  test('a comment on any line a multi-line finding covers; not inside a block scalar; not for another rule', () => {
    const multi = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "# warden: ignore[unpinned-uses]"
      - uses: >-  # warden: ignore[unpinned-uses]
          actions/checkout@v4
`;
    assert.deepEqual(ids(run(multi).filter((finding) => finding.ruleId === 'unpinned-uses')), []);
    const inScript = WORKFLOW.replace(
      '      - uses: actions/checkout@v4',
      '      - run: |\n          # warden: ignore[unpinned-uses]\n      - uses: actions/checkout@v4',
    );
    assert.equal(run(inScript).filter((finding) => finding.ruleId === 'unpinned-uses').length, 2);
    const other = WORKFLOW.replace(line9, `${line9} # warden: ignore[dangerous-triggers]`);
    assert.equal(run(other).filter((finding) => finding.ruleId === 'unpinned-uses').length, 2);
  });
});

describe('unused-ignore', () => {
  test('a comment naming a rule that found nothing there is reported (pedantic), with a fix that removes it', () => {
    const text = WORKFLOW.replace('    runs-on: ubuntu-latest', '    runs-on: ubuntu-latest # warden: ignore[unpinned-uses] old');
    const findings = run(text).filter((finding) => finding.ruleId === 'unused-ignore');
    assert.equal(findings.length, 1);
    assert.equal(text.slice(findings[0].span.start, findings[0].span.end), '# warden: ignore[unpinned-uses]');
    assert.equal(findings[0].persona, 'pedantic');
    const fixed = applyEdits(text, findings[0].fixes[0].edits);
    assert.equal(fixed, WORKFLOW);
    assert.equal(run(text, { ...BASE, persona: 'regular' }).filter((finding) => finding.ruleId === 'unused-ignore').length, 0);
  });

  test('partly used: the fix removes only the stale name; own-line comment removal deletes the line', () => {
    const line9 = '      - uses: actions/checkout@v4';
    const text = WORKFLOW.replace(line9, `${line9} # warden: ignore[dangerous-triggers,unpinned-uses] reason`);
    const [finding] = run(text).filter((each) => each.ruleId === 'unused-ignore');
    assert.match(finding.message, /`dangerous-triggers`/);
    const fixed = applyEdits(text, finding.fixes[0].edits);
    assert.ok(fixed.includes(`${line9} # warden: ignore[unpinned-uses] reason`));
    assert.deepEqual(ids(run(fixed).filter((each) => each.ruleId === 'unused-ignore' || each.message.includes('checkout'))), []);
    const ownLine = WORKFLOW.replace('    steps:\n', '    steps:\n      # warden: ignore[unpinned-uses]\n');
    const zizmorOwn = WORKFLOW.replace('    steps:\n', '    steps:\n      # zizmor: ignore[unpinned-uses]\n');
    assert.deepEqual(ids(run(zizmorOwn).filter((each) => each.ruleId === 'unused-ignore')), [], "zizmor comments are zizmor's");
    const [stale] = run(ownLine).filter((each) => each.ruleId === 'unused-ignore');
    assert.equal(applyEdits(ownLine, stale.fixes[0].edits), WORKFLOW);
  });

  test('not reported: zizmor audits we lack, rules that are disabled, a used name, unused-ignore itself', () => {
    const quiet = WORKFLOW.replace(
      '    runs-on: ubuntu-latest',
      '    runs-on: ubuntu-latest # zizmor: ignore[some-zizmor-only-audit,unused-ignore]',
    );
    assert.deepEqual(ids(run(quiet).filter((finding) => finding.ruleId === 'unused-ignore')), []);
    const disabled = WORKFLOW.replace('    runs-on: ubuntu-latest', '    runs-on: ubuntu-latest # warden: ignore[unpinned-uses]');
    assert.deepEqual(
      ids(run(disabled, { ...BASE, disabledRules: new Set(['unpinned-uses']) }).filter((finding) => finding.ruleId === 'unused-ignore')),
      [],
    );
    assert.deepEqual(
      ids(run(disabled, { ...BASE, disabledRules: new Set(['unused-ignore']) }).filter((finding) => finding.ruleId === 'unused-ignore')),
      [],
    );
    const unknown = WORKFLOW.replace('    runs-on: ubuntu-latest', '    runs-on: ubuntu-latest # warden: ignore[no-such-rule]');
    assert.match(run(unknown).find((finding) => finding.ruleId === 'unused-ignore')!.message, /`no-such-rule` is not a rule/);
    const silenced = WORKFLOW.replace(
      '    runs-on: ubuntu-latest',
      '    runs-on: ubuntu-latest # warden: ignore[unpinned-uses,unused-ignore]',
    );
    assert.deepEqual(ids(run(silenced).filter((finding) => finding.ruleId === 'unused-ignore')), []);
  });
});

describe('"Ignore <rule> on this line" fix', () => {
  const fixFor = (text: string, ruleId: string, needle: string) => {
    const file = parse(text);
    const finding = analyze(file, BASE).find(
      (each) => each.ruleId === ruleId && text.slice(each.span.start, each.span.end).includes(needle),
    );
    assert.ok(finding, `${ruleId} on ${needle}`);
    return { fix: ignoreFix(file, finding), finding };
  };

  test('adds a comment with a reason placeholder; the finding is gone and nothing else changed', () => {
    const { fix } = fixFor(WORKFLOW, 'unpinned-uses', 'v4');
    assert.equal(fix?.title, 'Ignore unpinned-uses on this line');
    const fixed = applyEdits(WORKFLOW, fix!.edits);
    assert.ok(fixed.includes('      - uses: actions/checkout@v4 # warden: ignore[unpinned-uses] reason\n'));
    const before = run(WORKFLOW).filter((finding) => !(finding.ruleId === 'unpinned-uses' && finding.message.includes('checkout')));
    assert.deepEqual(
      run(fixed).map((finding) => finding.message),
      before.map((finding) => finding.message),
    );
  });

  test('merges into an existing ignore comment; keeps CRLF; block scalar header lines work, content lines do not', () => {
    const existing = WORKFLOW.replace('actions/checkout@v4', 'actions/checkout@v4  # zizmor: ignore[excessive-permissions] why');
    const fixed = applyEdits(existing, fixFor(existing, 'unpinned-uses', 'v4').fix!.edits);
    assert.ok(fixed.includes('# zizmor: ignore[excessive-permissions,unpinned-uses] why'));
    const crlf = WORKFLOW.replace(/\n/g, '\r\n');
    const crlfFixed = applyEdits(crlf, fixFor(crlf, 'unpinned-uses', 'main').fix!.edits);
    assert.ok(crlfFixed.includes('my-org/tool@main # warden: ignore[unpinned-uses] reason\r\n'));
    assert.equal(crlfFixed.split('\r\n').length, crlf.split('\r\n').length);
    const folded = 'on: push\npermissions: {}\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: >-\n          actions/checkout@v4\n';
    const { fix } = fixFor(folded, 'unpinned-uses', 'checkout');
    // The finding starts at the `>-` header, where a comment is real YAML.
    const foldedFixed = applyEdits(folded, fix!.edits);
    assert.ok(foldedFixed.includes('- uses: >- # warden: ignore[unpinned-uses] reason\n'));
    assert.deepEqual(ids(run(foldedFixed).filter((finding) => finding.ruleId === 'unpinned-uses')), []);
    // A finding whose first line is inside a block scalar's content: the comment goes on the header line.
    const script = 'on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: |\n          echo hi\n';
    const file = parse(script);
    const offset = script.indexOf('echo');
    const inScript = ignoreFix(file, { ruleId: 'template-injection', span: { start: offset, end: offset + 4 } });
    assert.equal(inScript?.title, "Ignore template-injection with a comment on line 6 (the block's header)");
    assert.equal(applyEdits(script, inScript!.edits), script.replace('- run: |', '- run: | # warden: ignore[template-injection] reason'));
    assert.equal(ignoreFix(file, { ruleId: 'syntax-error', span: { start: 0, end: 2 } }), null);
  });
});
