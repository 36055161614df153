import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analysisOptions, applyFix, findingsOf, parseAs, spanText, toCRLF } from '../helpers';
import { analyze } from '../../server/src/engine';
import { botConditions } from '../../server/src/rules/bot-conditions';
import { githubEnv } from '../../server/src/rules/github-env';
import type { Rule } from '../../server/src/rules/types';

const E = (path: string) => '${{ ' + path + ' }}';

function run(rule: Rule, text: string, path?: string, persona: 'auditor' | 'regular' = 'auditor') {
  return findingsOf(text, { ruleId: rule.id, path, rules: [rule], persona });
}

const wf = (on: string, steps: string, jobExtra = '') => `on: ${on}\njobs:\n  work:\n    runs-on: ubuntu-latest\n${jobExtra}    steps:\n${steps}`;

// ---------------------------------------------------------------------------------------------------
// github-env

const runStep = (script: string, extra = '') => `      - ${extra}run: |\n${script
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
      assert.deepEqual(run(githubEnv, wf('pull_request_target', runStep(script))).map((f) => f.message), [], script);
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
    const script = (body: string) => wf('pull_request_target', `      - uses: actions/github-script@v7\n        with:\n          script: |\n            ${body}\n`);
    const text = script('core.exportVariable("TITLE", context.payload.pull_request.title)');
    const found = run(githubEnv, text);
    assert.equal(found.length, 1);
    assert.equal(spanText(text, found[0].span), 'core.exportVariable');
    assert.equal(run(githubEnv, script("core.exportVariable('MODE', 'ci')")).length, 0);
    assert.equal(run(githubEnv, script('core.addPath(dir)')).length, 1);
  });

  it('never throws on malformed input', () => {
    for (const text of [wf('pull_request_target', '      - run: [1]\n'), wf('pull_request_target', '      - run: "echo >> $GITHUB_ENV"\n'), wf('pull_request_target', "      - run: 'tee'\n"), 'on: issues\njobs: {a: 1}\n']) {
      assert.doesNotThrow(() => run(githubEnv, text));
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// bot-conditions

function fixAndRecheck(text: string): string {
  const before = run(botConditions, text);
  assert.ok(before.length > 0);
  const fix = before[0].fixes[0];
  assert.ok(fix, 'expected a fix');
  assert.equal(fix.safety, 'safe');
  const fixed = applyFix(text, fix);
  const file = parseAs(fixed);
  assert.equal(file.problems.length, 0, fixed);
  assert.equal(analyze(file, analysisOptions({ rules: [botConditions] })).length, before.length - 1, fixed);
  return fixed;
}

describe('bot-conditions', () => {
  it('github.actor == dependabot[bot] on pull_request_target: high/high, fixed to the pull request author', () => {
    const text = wf('pull_request_target', "      - run: echo ok\n", "    if: github.actor == 'dependabot[bot]'\n");
    const found = run(botConditions, text);
    assert.equal(found.length, 1);
    assert.equal(spanText(text, found[0].span), "github.actor == 'dependabot[bot]'");
    assert.equal(found[0].severity, 'high');
    assert.equal(found[0].confidence, 'high');
    const fixed = fixAndRecheck(text);
    assert.equal(fixed, text.replace('github.actor', 'github.event.pull_request.user.login'));
  });

  it('under && the confidence drops; under || it stays; ids and endsWith count', () => {
    const cond = (c: string, on = 'pull_request') => run(botConditions, wf(on, `      - if: ${c}\n        run: echo ok\n`));
    assert.equal(cond(`${E("github.event_name == 'pull_request' && github.actor == 'dependabot[bot]'")}`)[0].confidence, 'medium');
    assert.equal(cond(E("'renovate[bot]' == github.triggering_actor || github.event_name == 'push'"))[0].confidence, 'high');
    const ids = cond('github.actor_id == 49699333');
    assert.equal(ids.length, 1);
    assert.equal(applyFix(wf('pull_request', `      - if: github.actor_id == 49699333\n        run: echo ok\n`), ids[0].fixes[0]).includes('github.event.pull_request.user.id == 49699333'), true);
    assert.equal(cond("endsWith(github.actor, '[bot]')").length, 1);
    assert.equal(cond("contains(fromJSON('[\"dependabot[bot]\", \"renovate[bot]\"]'), github.actor)").length, 1);
  });

  it('negatives: exclusions, the author field, humans', () => {
    const cond = (c: string) => run(botConditions, wf('pull_request_target', `      - if: ${c}\n        run: echo ok\n`));
    assert.equal(cond("github.actor != 'dependabot[bot]'").length, 0);
    assert.equal(cond("!(github.actor == 'dependabot[bot]')").length, 0);
    assert.equal(cond("github.event.pull_request.user.login == 'dependabot[bot]'").length, 0);
    assert.equal(cond("github.actor == 'octocat'").length, 0);
    assert.equal(cond('github.actor_id == 12345').length, 0);
    // Not an if: (a message) is not a condition.
    assert.equal(run(botConditions, wf('pull_request_target', `      - run: echo "${E("github.actor == 'dependabot[bot]'")}"\n`)).length, 0);
  });

  it('several triggers: no fix; push only: low and pedantic', () => {
    const multi = run(botConditions, wf('[pull_request, push]', "      - if: github.actor == 'dependabot[bot]'\n        run: echo ok\n"));
    assert.equal(multi.length, 1);
    assert.equal(multi[0].fixes.length, 0);
    const push = run(botConditions, wf('push', "      - if: github.actor == 'dependabot[bot]'\n        run: echo ok\n"));
    assert.equal(push[0].severity, 'low');
    assert.equal(push[0].persona, 'pedantic');
  });

  it('the fix keeps CRLF line endings and quoting', () => {
    const text = toCRLF(wf('pull_request_target', `      - if: "${E("github.actor == 'dependabot[bot]'")}"\n        run: echo ok\n`));
    const fixed = fixAndRecheck(text);
    assert.equal(fixed, text.replace('github.actor', 'github.event.pull_request.user.login'));
  });

  it('never throws on malformed input', () => {
    for (const text of [wf('pull_request_target', '      - if: [1]\n        run: x\n'), wf('pull_request_target', '      - if: ${{ github.actor == }}\n        run: x\n'), 'on: pull_request\njobs:\n  a:\n    if: 3\n']) {
      assert.doesNotThrow(() => run(botConditions, text));
    }
  });
});
