import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { findingsOf, spanText } from '../../support/analysis';
import { githubEnv } from '../../../server/src/rules/github-env';
import { expectFindings } from '../../support/expect-findings';
import type { Rule } from '../../../server/src/rules/types';

const E = (path: string) => '${{ ' + path + ' }}';

function run(rule: Rule, text: string, path?: string, persona: 'auditor' | 'regular' = 'auditor') {
  return findingsOf(text, { ruleId: rule.id, path, rules: [rule], persona });
}

const wf = (on: string, steps: string, jobExtra = '') =>
  `on: ${on}\njobs:\n  work:\n    runs-on: ubuntu-latest\n${jobExtra}    steps:\n${steps}`;

const runStep = (script: string, extra = '') =>
  `      - ${extra}run: |\n${script
    .split('\n')
    .map((line) => `          ${line}`)
    .join('\n')}\n`;

describe('github-env', () => {
  it('attacker text written to GITHUB_ENV under pull_request_target: high/high on the target', () => {
    const text = wf('pull_request_target', runStep(`echo "REF=${E('github.event.pull_request.head.ref')}" >> $GITHUB_ENV`));
    const found = run(githubEnv, text);
    assert.equal(found.length, 1);
    assert.equal(spanText(text, found[0].span), '$GITHUB_ENV');
    assert.equal(found[0].severity, 'high');
    assert.equal(found[0].confidence, 'high');
    assert.match(found[0].message, /pull_request_target/);
  });

  it('follows env: and runner variables', () => {
    const viaEnv = `on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          TITLE: ${E('github.event.issue.title')}\n        run: echo "T=$TITLE" >>"$GITHUB_ENV"\n`;
    const found = run(githubEnv, viaEnv);
    assert.equal(found.length, 1);
    assert.equal(spanText(viaEnv, found[0].span), '"$GITHUB_ENV"');
    assert.equal(found[0].confidence, 'high');
    const headRef = wf('pull_request_target', runStep('echo "BRANCH=$GITHUB_HEAD_REF" >> "${GITHUB_ENV}"'));
    assert.equal(run(githubEnv, headRef)[0].confidence, 'high');
  });

  it('computed text: high/low; literals, fixed contexts and safe substitutions: silent', () => {
    const computed = run(githubEnv, wf('workflow_run', runStep('echo "V=$(cat version.txt)" >> $GITHUB_ENV')));
    assert.equal(computed.length, 1);
    assert.equal(computed[0].confidence, 'low');
    for (const script of [
      'echo "FOO=bar" >> $GITHUB_ENV',
      `echo "SHA=${E('github.sha')}" >> $GITHUB_ENV`,
      'echo "STAMP=$(date +%s)" >> "$GITHUB_ENV"',
      'echo "$HOME/.local/bin" >> $GITHUB_PATH',
      'echo "$(pwd)/bin" | tee -a ${GITHUB_PATH}',
      "echo 'X=$NOT_EXPANDED' >> $GITHUB_ENV",
      'echo "OUT=$(cat x)" >> $GITHUB_OUTPUT',
      "cat <<'EOF' >> $GITHUB_ENV\nX=$Y\nEOF",
      'V=$(cat v)\n[[ "$V" =~ ^[0-9.]+$ ]] || exit 1\necho "V=$V" >> $GITHUB_ENV',
    ]) {
      assert.deepEqual(
        run(githubEnv, wf('pull_request_target', runStep(script))).map((f) => f.message),
        [],
        script,
      );
    }
  });

  it('tee, heredocs and blocks', () => {
    const tee = wf('pull_request_target', runStep('echo "$DIR" | tee -a "$GITHUB_PATH"'));
    const found = run(githubEnv, tee);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /GITHUB_PATH/);
    assert.equal(run(githubEnv, wf('pull_request_target', runStep('cat <<EOF >> $GITHUB_ENV\nX=$Y\nEOF'))).length, 1);
    assert.equal(run(githubEnv, wf('pull_request_target', runStep('{\n  echo "A=$A"\n} >> "$GITHUB_ENV"'))).length, 1);
  });

  it('PowerShell and cmd spellings', () => {
    const pwsh = (script: string) => wf('issue_comment', runStep(script, 'shell: pwsh\n        '));
    assert.equal(run(githubEnv, pwsh('"V=$v" | Out-File -FilePath $env:GITHUB_ENV -Append')).length, 1);
    assert.equal(run(githubEnv, pwsh('Add-Content $env:GITHUB_ENV "X=$y"')).length, 1);
    assert.equal(run(githubEnv, pwsh('Add-Content -Path $env:GITHUB_PATH -Value "C:\\tools"')).length, 0);
    const cmd = wf('issue_comment', runStep('echo X=%Y% >> %GITHUB_ENV%', 'shell: cmd\n        '));
    const found = run(githubEnv, cmd);
    assert.equal(found.length, 1);
    assert.equal(spanText(cmd, found[0].span), '%GITHUB_ENV%');
    assert.equal(run(githubEnv, wf('issue_comment', runStep('echo X=1 >> %GITHUB_ENV%', 'shell: cmd\n        '))).length, 0);
  });

  it('only privileged triggers and composite actions', () => {
    for (const on of ['push', 'pull_request', '[push, workflow_dispatch]', 'workflow_call']) {
      assert.equal(run(githubEnv, wf(on, runStep('echo "V=$(cat v)" >> $GITHUB_ENV'))).length, 0, on);
    }
    const action = (script: string) => `name: x\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: ${script}\n`;
    const input = run(githubEnv, action(`echo "V=${E('inputs.version')}" >> $GITHUB_ENV`), 'action.yml');
    assert.equal(input.length, 1);
    assert.equal(input[0].severity, 'medium');
    assert.equal(input[0].persona, 'regular');
    const own = run(githubEnv, action('echo "V=$X" >> $GITHUB_ENV'), 'action.yml');
    assert.equal(own[0].persona, 'pedantic');
    assert.equal(run(githubEnv, action('echo "V=1" >> $GITHUB_ENV'), 'action.yml').length, 0);
  });

  it('actions/github-script core.exportVariable and core.addPath', () => {
    const script = (body: string) =>
      wf('pull_request_target', `      - uses: actions/github-script@v7\n        with:\n          script: |\n            ${body}\n`);
    const text = script('core.exportVariable("TITLE", context.payload.pull_request.title)');
    const found = run(githubEnv, text);
    assert.equal(found.length, 1);
    assert.equal(spanText(text, found[0].span), 'core.exportVariable');
    assert.equal(run(githubEnv, script("core.exportVariable('MODE', 'ci')")).length, 0);
    assert.equal(run(githubEnv, script('core.addPath(dir)')).length, 1);
  });

  it('never throws on malformed input', () => {
    for (const text of [
      wf('pull_request_target', '      - run: [1]\n'),
      wf('pull_request_target', '      - run: "echo >> $GITHUB_ENV"\n'),
      wf('pull_request_target', "      - run: 'tee'\n"),
      'on: issues\njobs: {a: 1}\n',
    ]) {
      assert.doesNotThrow(() => run(githubEnv, text));
    }
  });
});

describe('github-env: minimal workflows', () => {
  test("an outsider's branch name written to GITHUB_ENV: the target token", () => {
    const text =
      'on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "BRANCH=${{ github.event.pull_request.head.ref }}" >> "$GITHUB_ENV"\n';
    expectFindings(text, 'github-env', [
      ['6:72-6:85', /writes text an outsider chooses \(`github.event.pull_request.head.ref`.* to `GITHUB_ENV`/],
    ]);
  });

  test('computed text written to GITHUB_PATH under workflow_run: the target token', () => {
    const text =
      'on: workflow_run\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$(cat bin-dir.txt)" >> $GITHUB_PATH\n';
    expectFindings(text, 'github-env', [['6:42-6:54', /writes computed text \(`\$\(cat bin-dir.txt\)`\) to `GITHUB_PATH`/]]);
  });

  test('a literal line is not flagged', () => {
    expectFindings(
      'on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "FOO=bar" >> $GITHUB_ENV\n',
      'github-env',
      [],
    );
  });

  test('workflows outsiders cannot trigger are not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "V=$(cat version.txt)" >> $GITHUB_ENV\n',
      'github-env',
      [],
    );
  });

  it('a value that can only be a number is not text an outsider chooses (gh --jq .number, $(( )), wc -l)', () => {
    const numeric = [
      `echo "PR=$(gh pr view 1 --json number --jq '.number')" >> "$GITHUB_ENV"`,
      `echo "N=$(gh issue list --search "$TITLE" --json number --jq ".[] | select(.title | startswith(\\"$TITLE\\")).number")" >> "$GITHUB_ENV"`,
      'echo "NEXT=$(( $COUNT + 1 ))" >> $GITHUB_ENV',
      'echo "LINES=$(wc -l < changed.txt)" >> $GITHUB_ENV',
      'echo "FAILED=$(grep -c FAIL report.txt)" >> $GITHUB_ENV',
      'gh issue list --json number --jq ".[0].number" > issue.txt\necho "ISSUE=$(cat issue.txt)" >> "$GITHUB_ENV"',
      'COUNT=$(jq length files.json)\necho "COUNT=$COUNT" >> "$GITHUB_ENV"',
      'TOTAL=$(gh api repos/o/r/pulls --jq length)\nTOTAL=$((TOTAL + 1))\necho "TOTAL=${TOTAL}" >> "$GITHUB_ENV"',
    ];
    for (const script of numeric) assert.deepEqual(run(githubEnv, wf('issues', runStep(script))), [], script);
  });

  it('text around numbers, or a number source that can carry text, is still reported', () => {
    const computed = [
      // `.title` is text; `jq .number` of an arbitrary file can be a string.
      `echo "T=$(gh pr view 1 --json title --jq '.title')" >> "$GITHUB_ENV"`,
      'echo "N=$(jq -r .number event.json)" >> "$GITHUB_ENV"',
      // wc on a file named by a variable prints that name too; two pipelines print both outputs.
      'echo "L=$(wc -l $FILE)" >> $GITHUB_ENV',
      'echo "X=$(cat notes.txt; wc -l < a)" >> $GITHUB_ENV',
      // The file is written with text as well as a number.
      'gh pr list --json number --jq ".[0].number" > n.txt\necho "$TITLE" >> n.txt\necho "N=$(cat n.txt)" >> "$GITHUB_ENV"',
      // The variable is assigned a number and, elsewhere, text.
      'N=$(wc -l < a)\nread -r N < notes.txt\necho "N=$N" >> "$GITHUB_ENV"',
    ];
    for (const script of computed) assert.equal(run(githubEnv, wf('issues', runStep(script))).length, 1, script);
    const tainted = wf('issues', runStep(`echo "N=$(( 1 ))-${E('github.event.issue.title')}" >> "$GITHUB_ENV"`));
    assert.equal(run(githubEnv, tainted)[0].confidence, 'high');
  });
});
