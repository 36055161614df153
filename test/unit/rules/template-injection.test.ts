import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { applyFix, findingsOf, parseAs, spanText } from '../../support/analysis';
import { templateInjection } from '../../../server/src/rules/template-injection';
import { analyze } from '../../../server/src/engine';
import { analysisOptions } from '../../support/analysis';
import { expectFindings } from '../../support/expect-findings';

const RULE = 'template-injection';
const E = (path: string) => '${{ ' + path + ' }}';

function injections(text: string, path?: string) {
  return findingsOf(text, { ruleId: RULE, path, rules: [templateInjection] });
}

/** Applies the first fix of the first finding, re-parses and re-runs: the finding is gone, nothing else changed. */
function fixAndRecheck(text: string, path?: string): string {
  const before = injections(text, path);
  assert.ok(before.length > 0, 'expected a finding');
  const fix = before[0].fixes[0];
  assert.ok(fix, 'expected a fix');
  const fixed = applyFix(text, fix);
  const file = parseAs(fixed, path);
  assert.equal(file.problems.length, 0, `fixed text must parse: ${fixed}`);
  const after = analyze(file, analysisOptions({ rules: [templateInjection] }));
  assert.equal(after.length, before.length - 1, fixed);
  return fixed;
}

const wf = (on: string, steps: string, extra = '') =>
  `on: ${on}\n${extra}jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

describe('template-injection: incident reproductions', () => {
  it('Ultralytics: github.head_ref in a composite action run (flagged: inputs + head_ref)', () => {
    const action = `name: x\ninputs:\n  ref:\n    default: ''\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: |\n        git checkout ${E('github.head_ref')}\n        echo ${E('inputs.ref')}\n`;
    const found = injections(action, 'action.yml');
    assert.deepEqual(
      found.map((f) => spanText(action, f.span)),
      ['github.head_ref', 'inputs.ref'],
    );
    assert.equal(found[0].severity, 'high');
    const fixed = fixAndRecheck(action, 'action.yml');
    assert.match(fixed, /git checkout "\$\{GITHUB_HEAD_REF\}"/);
    // Hardened: through env.
    const hardened = `name: x\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      env:\n        REF: x\n      run: git checkout "$GITHUB_HEAD_REF"\n`;
    assert.equal(injections(hardened, 'action.yml').length, 0);
  });

  it('Grafana: branch name into actions/github-script under pull_request_target', () => {
    const text = wf(
      'pull_request_target',
      `      - uses: actions/github-script@v7\n        with:\n          script: |\n            const branch = '${E('github.event.pull_request.head.ref')}'\n`,
    );
    const found = injections(text);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'high');
    assert.match(found[0].message, /actions\/github-script/);
    const fixed = fixAndRecheck(text);
    assert.match(fixed, /const branch = process\.env\.PULL_REQUEST_HEAD_REF\n/);
    assert.match(fixed, /\n        env:\n          PULL_REQUEST_HEAD_REF: \$\{\{ github\.event\.pull_request\.head\.ref \}\}\n/);
  });

  it('Nx: PR title into a bash heredoc (a quoted heredoc does not help)', () => {
    const text = wf(
      'pull_request_target',
      `      - run: |\n          cat <<'EOF' > title.txt\n          ${E('github.event.pull_request.title')}\n          EOF\n`,
    );
    const found = injections(text);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'high');
    assert.equal(found[0].confidence, 'high');
    // No automatic fix inside a quoted heredoc: $NAME would not expand there.
    assert.equal(found[0].fixes.length, 0);
  });

  it('elementary-data: issue_comment body in bash; hardened via env', () => {
    const text = wf('issue_comment', `      - run: echo "${E('github.event.comment.body')}" | ./parse.sh\n`);
    const found = injections(text);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /comment text/);
    const fixed = fixAndRecheck(text);
    assert.match(fixed, /run: echo "\$\{COMMENT_BODY\}" \| \.\/parse\.sh/);
  });

  it('Shai-Hulud: discussion body in run', () => {
    const text = wf('discussion', `      - run: echo ${E('github.event.discussion.body')}\n`);
    assert.equal(injections(text)[0]?.severity, 'high');
  });
});

describe('template-injection: what flows and what does not', () => {
  it('ternary with literal leaves, contains(), comparisons carry no data', () => {
    const text = wf(
      'pull_request_target',
      [
        `      - run: echo ${E("github.event.pull_request.draft && '--draft' || ''")}`,
        `      - run: echo ${E("contains(github.event.pull_request.title, 'WIP')")}`,
        `      - run: echo ${E("github.event.issue.title == 'x'")}`,
        `      - run: echo ${E("startsWith(github.head_ref, 'x')")}`,
      ].join('\n') + '\n',
    );
    assert.deepEqual(injections(text), []);
  });

  it('the value side of a ternary and format() arguments flow', () => {
    const text = wf(
      'pull_request_target',
      `      - run: echo ${E("github.event.pull_request.draft && github.event.pull_request.title || 'none'")} ${E("format('{0}', github.event.pull_request.body)")}\n`,
    );
    assert.deepEqual(
      injections(text).map((f) => spanText(text, f.span)),
      ['github.event.pull_request.title', 'github.event.pull_request.body'],
    );
  });

  it('numbers, SHAs, ids, safe github.* and step outcomes are silent', () => {
    const text = wf(
      'pull_request_target',
      [
        `      - run: |`,
        `          echo ${E('github.event.pull_request.number')} ${E('github.event.pull_request.head.sha')} ${E('github.event.pull_request.base.sha')}`,
        `          echo ${E('github.sha')} ${E('github.run_id')} ${E('github.repository')} ${E('github.workspace')} ${E('runner.os')}`,
        `          echo ${E('steps.build.outcome')} ${E('needs.a.result')} ${E('job.status')} ${E('github.event.pull_request.user.id')}`,
      ].join('\n') + '\n',
    );
    assert.deepEqual(injections(text), []);
  });

  it('static matrix values are silent; a matrix computed from an expression is not', () => {
    const fixed = `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        os: [a, b]\n        include:\n          - os: c\n    steps:\n      - run: echo ${E('matrix.os')}\n`;
    assert.deepEqual(injections(fixed), []);
    const dynamic = `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix: ${E('fromJSON(needs.a.outputs.m)')}\n    steps:\n      - run: echo ${E('matrix.os')}\n`;
    assert.equal(injections(dynamic)[0]?.severity, 'medium');
  });

  it('typed inputs: boolean/number/choice are silent, string dispatch inputs are medium', () => {
    const extra = '';
    const text = `on:\n  workflow_dispatch:\n    inputs:\n      dry:\n        type: boolean\n      n:\n        type: number\n      level:\n        type: choice\n        options: [a, b]\n      tag:\n        type: string\n${extra}jobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${E('inputs.dry')} ${E('inputs.n')} ${E('inputs.level')} ${E('inputs.tag')}\n`;
    const found = injections(text);
    assert.deepEqual(
      found.map((f) => spanText(text, f.span)),
      ['inputs.tag'],
    );
    assert.equal(found[0].severity, 'medium');
  });

  it('env.* follows the definition: a literal is silent, an attacker value is reported', () => {
    const text = wf(
      'issues',
      `      - env:\n          A: literal\n          B: ${E('github.event.issue.title')}\n        run: echo ${E('env.A')} ${E('env.B')}\n`,
    );
    const found = injections(text);
    assert.deepEqual(
      found.map((f) => spanText(text, f.span)),
      ['env.B'],
    );
    assert.equal(found[0].severity, 'high');
  });

  it('step outputs are informational and pedantic', () => {
    const text = wf('push', `      - run: echo ${E('steps.x.outputs.y')}\n`);
    const found = injections(text);
    assert.equal(found[0].severity, 'informational');
    assert.equal(findingsOf(text, { ruleId: RULE, persona: 'regular' }).length, 0);
  });

  it("fields absent from the workflow's triggers are silent; head_ref needs a PR trigger", () => {
    const text = wf('push', `      - run: echo ${E('github.event.issue.title')} ${E('github.head_ref')}\n`);
    assert.deepEqual(injections(text), []);
  });

  it('only sinks count: with: of ordinary actions, if:, names are not code', () => {
    const text = wf(
      'pull_request_target',
      `      - name: ${E('github.event.pull_request.title')}\n        if: ${E("github.event.pull_request.title != ''")}\n        uses: some/action@v1\n        with:\n          title: ${E('github.event.pull_request.title')}\n`,
    );
    assert.deepEqual(injections(text), []);
  });

  it('never throws on malformed input', () => {
    for (const text of [
      'on: push\njobs: 3\n',
      'jobs:\n  a:\n    steps: x\n',
      'jobs:\n  a:\n    steps:\n      - run: 5\n      - null\n      - run: "${{ github.event.issue.title"\n',
      '',
    ]) {
      injections(text);
      injections(text, 'action.yml');
    }
  });
});

describe('template-injection: quick fix', () => {
  it('merges into an existing env: map and keeps CRLF', () => {
    const text = wf(
      'issues',
      `      - name: greet\n        env:\n          FOO: bar # keep\n        run: echo ${E('github.event.issue.title')}\n`,
    ).replace(/\n/g, '\r\n');
    const fixed = fixAndRecheck(text);
    assert.ok(
      fixed.includes(
        '          FOO: bar # keep\r\n          ISSUE_TITLE: ${{ github.event.issue.title }}\r\n        run: echo "${ISSUE_TITLE}"\r\n',
      ),
      fixed,
    );
  });

  it('uses ${NAME} inside double quotes, $env:NAME for pwsh and %NAME% for cmd', () => {
    const bash = wf('issues', `      - run: |\n          echo "title: ${E('github.event.issue.title')}"\n`);
    assert.match(fixAndRecheck(bash), /echo "title: \$\{ISSUE_TITLE\}"/);
    const pwsh = wf('issues', `      - shell: pwsh\n        run: Write-Output "${E('github.event.issue.title')}"\n`);
    assert.match(fixAndRecheck(pwsh), /Write-Output "\$env:ISSUE_TITLE"/);
    const cmd = wf('issues', `      - shell: cmd\n        run: echo ${E('github.event.issue.title')}\n`);
    assert.match(fixAndRecheck(cmd), /echo %ISSUE_TITLE%/);
  });

  it('is preferred only for a single-context expression in run:', () => {
    const text = wf('issues', `      - run: echo ${E('github.event.issue.title || github.event.issue.body')}\n`);
    const found = injections(text);
    assert.equal(found.length, 2);
    assert.ok(found.every((f) => f.fixes.length === 0));
    const single = injections(wf('issues', `      - run: echo ${E('github.event.issue.title')}\n`));
    assert.equal(single[0].fixes[0].isPreferred, true);
    assert.equal(single[0].fixes[0].safety, 'unsafe');
  });
});

describe('template-injection: minimal workflows', () => {
  test('an issue title expanded in `run:` under `issues`: the context', () => {
    const text =
      'on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n';
    expectFindings(text, 'template-injection', [
      ['6:23-6:47', /`github.event.issue.title` is expanded into this `run:` script: the issue title/],
    ]);
  });

  test('github.head_ref under pull_request_target: the context', () => {
    const text =
      'on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: git checkout ${{ github.head_ref }}\n';
    expectFindings(text, 'template-injection', [
      ['6:30-6:45', /`github.head_ref` is expanded .*\(`pull_request_target`\)\. Pass it through `env:` instead/],
    ]);
  });

  test('github.sha carries nothing an outsider chooses', () => {
    expectFindings(
      'on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha }}\n',
      'template-injection',
      [],
    );
  });

  test('the same title passed through `env:` is not flagged', () => {
    expectFindings(
      'on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$TITLE"\n        env:\n          TITLE: ${{ github.event.issue.title }}\n',
      'template-injection',
      [],
    );
  });
});

describe('template-injection: anchors aliased into a sink', () => {
  const anchored = (runValue: string) =>
    `on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      C: &c "echo \${{ github.event.issue.title }}"\n    steps:\n      - run: ${runValue}\n`;

  test('an anchor defined in env: and aliased into run: is reported at the anchor, naming the alias', () => {
    const text = anchored('*c');
    const found = injections(text);
    assert.deepEqual(
      found.map((f) => spanText(text, f.span)),
      ['github.event.issue.title'],
    );
    assert.match(found[0].message, /this `run:` script through the alias `\*c` \(line 8\)/);
    assert.deepEqual(
      found[0].related.map((r) => spanText(text, r.span)),
      ['*c'],
    );
  });

  test('the same anchor never aliased into a sink is not reported', () => {
    assert.deepEqual(injections(anchored('echo "$C"')), []);
  });

  test('an anchor defined in a run: and aliased into another run: is reported once, where it stands', () => {
    const text = `on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: &s echo \${{ github.event.issue.title }}\n      - run: *s\n`;
    assert.equal(injections(text).length, 1);
  });

  test('an anchor aliased into a code-sink input (actions/github-script `script`)', () => {
    const text = `on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      S: &s "console.log('\${{ github.event.issue.body }}')"\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: *s\n`;
    const found = injections(text);
    assert.deepEqual(
      found.map((f) => spanText(text, f.span)),
      ['github.event.issue.body'],
    );
    assert.match(found[0].message, /`script` of actions\/github-script/);
  });
});

describe('template-injection: tibdex/backport templates', () => {
  const backport = (input: string) =>
    `on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: tibdex/backport@v2\n        with:\n          github_token: x\n          ${input}\n`;

  test('title_template and body_template are lodash templates, run as code', () => {
    const text = backport('title_template: "[<%= base %>] ${{ github.event.pull_request.title }}"');
    const found = injections(text);
    assert.deepEqual(
      found.map((f) => spanText(text, f.span)),
      ['github.event.pull_request.title'],
    );
    assert.match(found[0].message, /`title_template` of tibdex\/backport/);
    assert.equal(injections(backport('body_template: "${{ github.event.pull_request.body }}"')).length, 1);
  });

  test('the template data (`<%= title %>`) and other inputs are not findings', () => {
    assert.deepEqual(injections(backport('title_template: "[<%= base %>] <%= title %>"')), []);
    assert.deepEqual(injections(backport('label_pattern: "${{ github.event.pull_request.title }}"')), []);
  });
});

// ---------------------------------------------------------------------------------------------------
// Inputs judged by the callers of the workspace.

describe('inputs of local actions and reusable workflows, judged by their callers', async () => {
  const { workspaceOf } = await import('../../support/workspace');
  const ACTION_PATH = '.github/actions/greet/action.yml';
  const action = [
    'name: greet',
    'description: says hello',
    'inputs:',
    '  who: { required: true }',
    'runs:',
    '  using: composite',
    '  steps:',
    '    - run: echo "hello ${{ inputs.who }}"',
    '      shell: bash',
    '',
  ].join('\n');
  const caller = (trigger: string, value: string) =>
    `on: ${trigger}\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/greet\n        with:\n          who: ${value}\n`;
  const literal = caller('push', 'world');
  const attacker = caller('issue_comment', E('github.event.comment.body'));

  it('a composite action under a literal and an attacker-controlled caller: high, naming that caller, on both lines', () => {
    const space = workspaceOf({
      [ACTION_PATH]: action,
      '.github/workflows/literal.yml': literal,
      '.github/workflows/comment.yml': attacker,
    });
    const [inAction] = space.findings(ACTION_PATH, RULE);
    assert.ok(inAction);
    assert.equal(inAction.severity, 'high');
    assert.equal(inAction.confidence, 'high');
    assert.match(
      inAction.message,
      /input `who`, which `\.github\/workflows\/comment\.yml` \(job `j`\) fills with `github\.event\.comment\.body`/,
    );
    assert.equal(inAction.related[0].uri, 'file:///repo/.github/workflows/comment.yml');
    const onCaller = space.findings('.github/workflows/comment.yml', RULE);
    assert.deepEqual(
      onCaller.map((finding) => spanText(attacker, finding.span)),
      ['./.github/actions/greet'],
    );
    assert.match(onCaller[0].message, /passed as input `who` to `\.github\/actions\/greet\/action\.yml`/);
    assert.deepEqual(space.findings('.github/workflows/literal.yml', RULE), []);
  });

  it('every caller passes a literal: low and pedantic, not high; no caller in the workspace: unchanged', () => {
    const onlyLiteral = workspaceOf({ [ACTION_PATH]: action, '.github/workflows/literal.yml': literal });
    const [finding] = onlyLiteral.findings(ACTION_PATH, RULE);
    assert.ok(finding);
    assert.equal(finding.severity, 'low');
    assert.equal(finding.persona, 'pedantic');
    assert.match(finding.message, /the only caller in this repository fills with a literal/);
    assert.deepEqual(onlyLiteral.findings(ACTION_PATH, RULE, { persona: 'regular' }), []);
    const alone = workspaceOf({ [ACTION_PATH]: action });
    assert.equal(alone.findings(ACTION_PATH, RULE)[0].severity, 'high');
    // An action outside .github/ may be published: its callers are everyone, a literal caller changes nothing.
    const published = workspaceOf({
      'action.yml': action,
      '.github/workflows/literal.yml': literal.replace('./.github/actions/greet', './'),
    });
    assert.equal(published.findings('action.yml', RULE)[0].severity, 'high');
  });

  it('a reusable workflow input: high through an issue_comment caller, low when its only caller passes a literal', () => {
    const reusable = `on:\n  workflow_call:\n    inputs:\n      title: { type: string }\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${E('inputs.title')}"\n`;
    const callerOf = (trigger: string, value: string) =>
      `on: ${trigger}\njobs:\n  c:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      title: ${value}\n`;
    const hot = workspaceOf({
      '.github/workflows/reusable.yml': reusable,
      '.github/workflows/caller.yml': callerOf('pull_request_target', E('github.event.pull_request.title')),
    });
    const [finding] = hot.findings('.github/workflows/reusable.yml', RULE);
    assert.equal(finding.severity, 'high');
    assert.match(finding.message, /fills with `github\.event\.pull_request\.title`/);
    assert.equal(hot.findings('.github/workflows/caller.yml', RULE).length, 1);
    const cold = workspaceOf({ '.github/workflows/reusable.yml': reusable, '.github/workflows/caller.yml': callerOf('push', 'hello') });
    assert.equal(cold.findings('.github/workflows/reusable.yml', RULE)[0].severity, 'low');
    // A caller that passes on its own input is followed to its callers.
    const chained = workspaceOf({
      '.github/workflows/reusable.yml': reusable,
      '.github/workflows/middle.yml': `on:\n  workflow_call:\n    inputs:\n      t: { type: string }\njobs:\n  m:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      title: ${E('inputs.t')}\n`,
      '.github/workflows/top.yml': `on: issues\njobs:\n  t:\n    uses: ./.github/workflows/middle.yml\n    with:\n      t: ${E('github.event.issue.title')}\n`,
    });
    const [through] = chained.findings('.github/workflows/reusable.yml', RULE);
    assert.equal(through.severity, 'high');
    assert.match(
      through.message,
      /fills with `inputs\.t` \(there: its own `inputs\.t`, which `\.github\/workflows\/top\.yml` \(job `t`\) fills with `github\.event\.issue\.title`/,
    );
  });
});
