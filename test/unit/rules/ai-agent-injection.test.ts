import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { findingsOf, spanText } from '../../support/analysis';
import { aiAgentInjection } from '../../../server/src/rules/ai-agent-injection';
import type { Rule } from '../../../server/src/rules/types';
import { expectFindings } from '../../support/expect-findings';

const E = (path: string) => '${{ ' + path + ' }}';

function run(rule: Rule, text: string, path?: string, persona: 'auditor' | 'regular' = 'auditor') {
  return findingsOf(text, { ruleId: rule.id, path, rules: [rule], persona });
}

const wf = (on: string, steps: string, jobExtra = '') =>
  `on: ${on}\njobs:\n  work:\n    runs-on: ubuntu-latest\n${jobExtra}    steps:\n${steps}`;

const claude = (withLines: string) => `      - uses: anthropics/claude-code-action@v1\n        with:\n${withLines}`;

describe('ai-agent-injection', () => {
  it('Cline (2026): issue title in the prompt of claude-code-action open to non-writers with Bash', () => {
    const text = wf(
      '\n  issues:\n    types: [opened]',
      claude(
        `          anthropic_api_key: ${E('secrets.ANTHROPIC_API_KEY')}\n          github_token: ${E('secrets.GITHUB_TOKEN')}\n          allowed_non_write_users: '*'\n          claude_args: --allowedTools "Bash,Read,Write,Edit"\n          prompt: |\n            Triage this issue: ${E('github.event.issue.title')}\n`,
      ),
    );
    const found = run(aiAgentInjection, text);
    assert.equal(found.length, 1);
    assert.equal(spanText(text, found[0].span), 'github.event.issue.title');
    assert.equal(found[0].severity, 'high');
    assert.equal(found[0].confidence, 'high');
    assert.equal(found[0].persona, 'regular');
    assert.match(found[0].message, /anthropics\/claude-code-action/);
    assert.match(found[0].message, /Bash/);
    assert.match(found[0].message, /allowed_non_write_users/);
    assert.deepEqual(found[0].related.map((r) => spanText(text, r.span)).sort(), ["'*'", '--allowedTools "Bash,Read,Write,Edit"'].sort());
  });

  it('Cline hardened: no outsider text in the prompt, default access and tools: silent for regular users', () => {
    const text = wf(
      '\n  issues:\n    types: [opened]',
      claude(
        `          anthropic_api_key: ${E('secrets.ANTHROPIC_API_KEY')}\n          prompt: |\n            Label the issue number ${E('github.event.issue.number')} in ${E('github.repository')}.\n`,
      ),
      '    permissions:\n      issues: write\n',
    );
    assert.equal(run(aiAgentInjection, text, undefined, 'regular').length, 0);
    // The auditor still hears that the agent works on an issue an outsider wrote.
    const audit = run(aiAgentInjection, text);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].persona, 'auditor');
    assert.equal(audit[0].confidence, 'low');
  });

  it('gated agent without shell: medium; with a restricted Bash list: still medium', () => {
    const base = (extra: string) => wf('issues', claude(`          prompt: "Summarize: ${E('github.event.issue.body')}"\n${extra}`));
    const plain = run(aiAgentInjection, base(''));
    assert.equal(plain.length, 1);
    assert.equal(plain[0].severity, 'medium');
    const restricted = run(aiAgentInjection, base(`          claude_args: '--allowedTools "Bash(gh issue comment:*)"'\n`));
    assert.equal(restricted[0].severity, 'medium');
    const shell = run(aiAgentInjection, base(`          claude_args: '--dangerously-skip-permissions'\n`));
    assert.equal(shell[0].severity, 'high');
  });

  it('codex-action: danger-full-access makes it high; a pull request title on pull_request_target', () => {
    const text = wf(
      'pull_request_target',
      `      - uses: openai/codex-action@v1\n        with:\n          sandbox: danger-full-access\n          prompt: Review ${E('github.event.pull_request.title')}\n`,
    );
    const found = run(aiAgentInjection, text);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'high');
    assert.match(found[0].message, /danger-full-access/);
  });

  it('codex-action v1 spellings: safety_strategy, require_repo_write: false, codex_args read like their v2 names', () => {
    const step = (withLines: string) =>
      wf(
        'pull_request_target',
        `      - uses: openai/codex-action@v1\n        with:\n${withLines}          prompt: Review ${E('github.event.pull_request.title')}\n`,
      );
    const plain = run(aiAgentInjection, step(''));
    const pairs: [string, string][] = [
      ['          safety-strategy: unsafe\n', '          safety_strategy: unsafe\n'],
      ["          allow-users: '*'\n", '          require_repo_write: false\n'],
      [
        "          codex-args: '--dangerously-bypass-approvals-and-sandbox'\n",
        "          codex_args: '--dangerously-bypass-approvals-and-sandbox'\n",
      ],
    ];
    for (const [current, old] of pairs) {
      const now = run(aiAgentInjection, step(current));
      const before = run(aiAgentInjection, step(old));
      assert.equal(before.length, 1, old);
      assert.equal(before[0].severity, now[0].severity, old);
      assert.notEqual(
        JSON.stringify([before[0].severity, before[0].message]),
        JSON.stringify([plain[0].severity, plain[0].message]),
        `${old} changes the finding`,
      );
    }
    // `require_repo_write: true` (the default) keeps the check.
    assert.equal(run(aiAgentInjection, step('          require_repo_write: true\n'))[0].message, plain[0].message);
  });

  it('run-gemini-cli checks nobody: open unless an if: gates on the author', () => {
    const steps = `      - uses: google-github-actions/run-gemini-cli@v0\n        with:\n          prompt: Answer ${E('github.event.comment.body')}\n`;
    const open = run(aiAgentInjection, wf('issue_comment', steps));
    assert.equal(open.length, 1);
    assert.equal(open[0].severity, 'high');
    assert.match(open[0].message, /does not check/);
    const gated = run(
      aiAgentInjection,
      wf('issue_comment', steps, '    if: contains(fromJSON(\'["OWNER","MEMBER"]\'), github.event.comment.author_association)\n'),
    );
    assert.equal(gated.length, 1);
    // run-gemini-cli runs `gemini --yolo`, so without a core tool list it has a shell: high even when gated.
    assert.equal(gated[0].severity, 'high');
    assert.doesNotMatch(gated[0].message, /does not check/);
  });

  it('text through env: is followed', () => {
    const text = `on: discussion\nenv:\n  BODY: ${E('github.event.discussion.body')}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${claude(`          prompt: ${E('env.BODY')}\n`)}`;
    const found = run(aiAgentInjection, text);
    assert.equal(found.length, 1);
    assert.equal(spanText(text, found[0].span), 'env.BODY');
  });

  it('tag mode: no prompt, open to everyone on issue_comment: anyone instructs the agent', () => {
    const text = wf(
      'issue_comment',
      claude(
        `          github_token: ${E('github.token')}\n          allowed_non_write_users: "*"\n          claude_args: --allowedTools Bash\n`,
      ),
    );
    const found = run(aiAgentInjection, text);
    assert.equal(found.length, 1);
    assert.equal(spanText(text, found[0].span), '"*"');
    assert.equal(found[0].severity, 'high');
    assert.equal(run(aiAgentInjection, wf('issue_comment', claude(`          trigger_phrase: "@claude"\n`))).length, 0);
  });

  it('negatives: numbers, SHAs, booleans, dispatch inputs, other actions, non-prompt inputs', () => {
    const negatives = [
      wf('issues', claude(`          prompt: Look at issue ${E('github.event.issue.number')} at ${E('github.sha')}\n`)),
      wf('issues', claude(`          prompt: "${E("contains(github.event.issue.title, 'bug') && 'bug' || 'other'")}"\n`)),
      `on:\n  workflow_dispatch:\n    inputs:\n      task:\n        type: string\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${claude(`          prompt: ${E('inputs.task')}\n`)}`,
      wf('issues', `      - uses: actions/github-script@v7\n        with:\n          prompt: ${E('github.event.issue.title')}\n`),
      wf('issues', claude(`          trigger_phrase: ${E('github.event.issue.title')}\n`)),
      wf('push', claude(`          prompt: Summarize the release\n`)),
    ];
    for (const text of negatives)
      assert.deepEqual(
        run(aiAgentInjection, text, undefined, 'regular').map((f) => f.message),
        [],
        text,
      );
  });

  it('actions/ai-inference without tools: low', () => {
    const text = wf(
      'issues',
      `      - uses: actions/ai-inference@v1\n        with:\n          prompt: Classify ${E('github.event.issue.title')}\n`,
    );
    const found = run(aiAgentInjection, text);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'low');
  });

  it('composite action: caller-chosen inputs in a prompt are reported with lower confidence', () => {
    const action = `name: x\nruns:\n  using: composite\n  steps:\n    - uses: anthropics/claude-code-action@v1\n      with:\n        prompt: ${E('inputs.request')}\n`;
    const found = run(aiAgentInjection, action, 'action.yml');
    assert.equal(found.length, 1);
    assert.equal(found[0].confidence, 'low');
  });

  // -------------------------------------------------------------------------------------------------
  // Gap 1: claude-code-action honours `allowed_non_write_users` only when `github_token` is given
  // (OVERRIDE_GITHUB_TOKEN in action.yml, `githubTokenProvided` in src/github/validation/permissions.ts).

  it('allowed_non_write_users opens claude-code-action only together with github_token', () => {
    const step = (extra: string) =>
      wf(
        'issues',
        claude(`${extra}          allowed_non_write_users: '*'\n          prompt: "Summarize: ${E('github.event.issue.body')}"\n`),
      );
    const withToken = run(aiAgentInjection, step(`          github_token: ${E('secrets.GITHUB_TOKEN')}\n`));
    assert.equal(withToken.length, 1);
    assert.equal(withToken[0].severity, 'high');
    assert.match(withToken[0].message, /`allowed_non_write_users: '\*'` with `github_token` given lets anyone trigger it/);
    assert.ok(withToken[0].related.some((r) => /Who may trigger/.test(r.message)));
    // Without github_token (the action's app token) the write-access check stays: a writer's action, medium.
    for (const extra of ['', "          github_token: ''\n"]) {
      const gated = run(aiAgentInjection, step(extra));
      assert.equal(gated.length, 1, extra);
      assert.equal(gated[0].severity, 'medium', extra);
      assert.doesNotMatch(gated[0].message, /allowed_non_write_users|lets anyone/, extra);
      assert.deepEqual(
        gated[0].related.filter((r) => /Who may trigger/.test(r.message)),
        [],
        extra,
      );
    }
  });

  it('tag mode: allowed_non_write_users without github_token instructs nobody new', () => {
    const tag = (extra: string) =>
      wf('issue_comment', claude(`${extra}          allowed_non_write_users: "*"\n          claude_args: --allowedTools Bash\n`));
    assert.equal(run(aiAgentInjection, tag('')).length, 0);
    const open = run(aiAgentInjection, tag(`          github_token: ${E('secrets.GITHUB_TOKEN')}\n`));
    assert.equal(open.length, 1);
    assert.match(open[0].message, /github_token/);
  });

  // -------------------------------------------------------------------------------------------------
  // Gap 2: codex-action `allow-bots` says what the check lets through (src/checkActorPermissions.ts).

  it('codex-action allow-bots: current releases trust github-actions[bot] only; v1.0-v1.6 and v1 allow_bots any [bot]', () => {
    const codex = (ref: string, withLines: string) =>
      wf(
        'pull_request_target',
        `      - uses: openai/codex-action@${ref}\n        with:\n${withLines}          prompt: Review ${E('github.event.pull_request.title')}\n`,
      );
    const who = (text: string) =>
      run(aiAgentInjection, text)[0]
        .related.filter((r) => /Who may trigger/.test(r.message))
        .map((r) => r.message);
    const current = run(aiAgentInjection, codex('v1', '          allow-bots: true\n'));
    assert.equal(current.length, 1);
    // Bots are no outsiders: the access judgement (and so the severity) is unchanged.
    assert.equal(current[0].severity, run(aiAgentInjection, codex('v1', ''))[0].severity);
    const [message] = who(codex('v1', '          allow-bots: true\n'));
    assert.match(message, /`allow-bots: true` lets only `github-actions\[bot\]`/);
    assert.doesNotMatch(message, /lets any bot trigger it/);
    assert.match(who(codex('v1.6.0', '          allow-bots: true\n'))[0], /any account whose login ends in `\[bot\]`.*before v1\.7/);
    assert.match(who(codex('v1', '          allow_bots: true\n'))[0], /`allow_bots: true` lets any account whose login ends in `\[bot\]`/);
    assert.match(
      who(codex('v1', '          allow-bot-users: renovate, dependabot[bot]\n'))[0],
      /lets the bots `renovate`, `dependabot\[bot\]` skip/,
    );
    assert.match(who(codex('v1', "          allow-bot-users: '*'\n"))[0], /refused by the action/);
    assert.deepEqual(who(codex('v1', '          allow-bots: false\n')), []);
  });

  // -------------------------------------------------------------------------------------------------
  // Gap 3a: `settings` of the Claude actions (permissions.allow / deny / defaultMode) and `--disallowedTools`.

  it('claude-code-base-action settings: allowed tools raise, a Bash deny removes the shell, a file path says nothing', () => {
    const base = (withLines: string) =>
      wf(
        'issues',
        `      - uses: anthropics/claude-code-base-action@v1\n        with:\n${withLines}          prompt: "Summarize: ${E('github.event.issue.body')}"\n`,
        "    if: github.event.issue.author_association == 'MEMBER'\n",
      );
    const one = (withLines: string) => {
      const found = run(aiAgentInjection, base(withLines));
      assert.equal(found.length, 1, withLines);
      return found[0];
    };
    assert.equal(one('').severity, 'low');
    const bash = one(`          settings: '{"permissions": {"allow": ["Bash", "Read"]}}'\n`);
    assert.equal(bash.severity, 'high');
    assert.match(bash.message, /`settings` allows any shell command \(`Bash` in `permissions.allow`\)/);
    const edits = one(`          settings: '{"permissions": {"allow": ["Edit", "Bash(gh issue view:*)"]}}'\n`);
    assert.equal(edits.severity, 'medium');
    assert.match(edits.message, /`settings` allows some shell commands \(`Bash\(gh issue view:\*\)`/);
    const bypass = one(`          settings: '{"permissions": {"defaultMode": "bypassPermissions"}}'\n`);
    assert.equal(bypass.severity, 'high');
    assert.match(bypass.message, /permissions.defaultMode: bypassPermissions/);
    // A deny beats an allow (and bypassPermissions): Bash allowed in claude_args but denied in settings is no shell.
    const denied = one(`          claude_args: --allowedTools Bash\n          settings: '{"permissions": {"deny": ["Bash"]}}'\n`);
    assert.equal(denied.severity, 'low');
    const deniedBypass = one(`          settings: '{"permissions": {"defaultMode": "bypassPermissions", "deny": ["Bash"]}}'\n`);
    assert.equal(deniedBypass.severity, 'medium');
    assert.match(deniedBypass.message, /turns off permission checks, but `settings` denies `Bash`/);
    // A deny list alone grants nothing (the old reading took the word `Bash` in it for a shell).
    assert.equal(one(`          settings: '{"permissions": {"deny": ["Bash", "Edit"]}}'\n`).severity, 'low');
    assert.equal(one('          settings: .github/claude-settings.json\n').severity, 'low');
    // JSON with an expression inside still parses.
    assert.equal(one(`          settings: '{"model": "${E('vars.MODEL')}", "permissions": {"allow": ["Bash"]}}'\n`).severity, 'high');
  });

  it('claude-code-action: a Bash deny in settings or --disallowedTools is not a shell; Bash allowed and denied is no shell', () => {
    const step = (withLines: string) =>
      run(aiAgentInjection, wf('issues', claude(`${withLines}          prompt: "Summarize: ${E('github.event.issue.body')}"\n`)))[0];
    assert.equal(step('').severity, 'medium');
    assert.equal(step(`          settings: '{"permissions": {"deny": ["Bash"]}}'\n`).severity, 'medium');
    assert.equal(step('          claude_args: --disallowedTools Bash\n').severity, 'medium');
    assert.equal(
      step(`          claude_args: '--allowedTools "Read,Edit" --disallowedTools "Bash(rm:*)"'\n`).message.includes('some shell commands'),
      false,
    );
    assert.equal(step('          claude_args: --allowedTools Bash\n').severity, 'high');
    const denied = step(`          claude_args: --allowedTools Bash\n          settings: '{"permissions": {"deny": ["Bash"]}}'\n`);
    assert.equal(denied.severity, 'medium');
    assert.equal(step('          claude_args: --allowedTools Bash --disallowed-tools Bash\n').severity, 'medium');
  });

  // -------------------------------------------------------------------------------------------------
  // Gap 3b: codex-action `permission-profile` (action.yml, docs/security.md).

  it('codex-action permission-profile: :read-only narrows, :workspace and named profiles stay limited, :danger-full-access is a shell', () => {
    const step = (withLines: string) =>
      run(
        aiAgentInjection,
        wf(
          'pull_request_target',
          `      - uses: openai/codex-action@v1\n        with:\n${withLines}          prompt: Review ${E('github.event.pull_request.title')}\n`,
        ),
      )[0];
    assert.equal(step('').severity, 'medium');
    const readOnly = step("          permission-profile: ':read-only'\n");
    assert.equal(readOnly.severity, 'low');
    const workspace = step("          permission-profile: ':workspace'\n");
    assert.equal(workspace.severity, 'medium');
    assert.match(workspace.message, /`permission-profile: ':workspace'` lets the commands it runs write inside the workspace/);
    for (const profile of [':danger-full-access', ':danger-no-sandbox']) {
      const danger = step(`          permission-profile: '${profile}'\n`);
      assert.equal(danger.severity, 'high', profile);
      assert.match(danger.message, /without a sandbox/, profile);
    }
    const named = step('          permission-profile: issue-triage\n');
    assert.equal(named.severity, 'medium');
    assert.match(
      named.message,
      /`permission-profile: 'issue-triage'` is a profile defined in the Codex home's `config.toml`, which this check cannot read/,
    );
    assert.match(
      step('          codex-home: agents/codex/\n          permission-profile: issue-triage\n').message,
      /defined in `agents\/codex\/config.toml` \(`codex-home`\)/,
    );
    // Other inputs can still raise a read-only profile.
    assert.equal(
      step("          permission-profile: ':read-only'\n          codex-args: --dangerously-bypass-approvals-and-sandbox\n").severity,
      'high',
    );
  });

  it('codex-action permission-profile :read-only: no auditor finding for a prompt file on an open trigger', () => {
    const step = (extra: string) =>
      wf(
        'issues',
        `      - uses: openai/codex-action@v1\n        with:\n${extra}          allow-users: '*'\n          prompt-file: \${{ runner.temp }}/prompt.md\n`,
      );
    const open = run(aiAgentInjection, step(''));
    assert.equal(open.length, 1);
    assert.equal(open[0].persona, 'auditor');
    assert.equal(run(aiAgentInjection, step("          permission-profile: ':read-only'\n")).length, 0);
    assert.match(
      run(aiAgentInjection, step('          permission-profile: issue-triage\n'))[0].message,
      /permission-profile: 'issue-triage'/,
    );
  });

  // -------------------------------------------------------------------------------------------------
  // Gap 4: run-gemini-cli `settings` excluding `run_shell_command` (gemini-cli docs/tools/shell.md).

  it('run-gemini-cli: excludeTools / tools.exclude with run_shell_command removes the shell; a command prefix does not', () => {
    const gemini = (settings: string) =>
      run(
        aiAgentInjection,
        wf(
          'issue_comment',
          `      - uses: google-github-actions/run-gemini-cli@v0\n        with:\n${settings ? `          settings: '${settings}'\n` : ''}          prompt: Answer ${E('github.event.comment.body')}\n`,
          '    if: contains(fromJSON(\'["OWNER","MEMBER"]\'), github.event.comment.author_association)\n',
        ),
      )[0];
    assert.equal(gemini('').severity, 'high');
    const flat = gemini('{"excludeTools": ["run_shell_command"]}');
    assert.equal(flat.severity, 'medium');
    assert.match(
      flat.message,
      /`settings` excludes `run_shell_command` \(`excludeTools`\), but `gemini --yolo` still approves its other tools/,
    );
    const nested = gemini('{"tools": {"exclude": ["run_shell_command", "web_fetch"]}}');
    assert.equal(nested.severity, 'medium');
    assert.match(nested.message, /\(`tools.exclude`\)/);
    assert.equal(gemini('{"tools": {"exclude": ["ShellTool"]}}').severity, 'medium');
    // The exclusion wins over a core list that names the shell.
    assert.equal(gemini('{"tools": {"core": ["run_shell_command", "read_file"], "exclude": ["run_shell_command"]}}').severity, 'medium');
    // Still a shell: a command prefix in the exclusions, the shell in the core list, an MCP server's own excludeTools.
    assert.equal(gemini('{"tools": {"exclude": ["run_shell_command(rm)"]}}').severity, 'high');
    assert.equal(gemini('{"coreTools": ["run_shell_command"]}').severity, 'high');
    assert.equal(gemini('{"mcpServers": {"gh": {"command": "gh-mcp", "excludeTools": ["run_shell_command"]}}}').severity, 'high');
    // The core list alone (already read before) stays limited, now pointing at the input.
    const core = gemini('{"tools": {"core": ["read_file", "run_shell_command(gh issue view)"]}}');
    assert.equal(core.severity, 'medium');
    assert.match(core.message, /`settings` allows some shell commands \(`run_shell_command\(gh issue view\)` in `tools.core`\)/);
    // Open (no if:) and without a shell: limited tools for anyone, still high, and the message says why.
    const open = run(
      aiAgentInjection,
      wf(
        'issue_comment',
        `      - uses: google-github-actions/run-gemini-cli@v0\n        with:\n          settings: '{"tools": {"exclude": ["run_shell_command"]}}'\n          prompt: Answer ${E('github.event.comment.body')}\n`,
      ),
    )[0];
    assert.equal(open.severity, 'high');
    assert.match(open.message, /excludes `run_shell_command`.*does not check/);
  });

  // -------------------------------------------------------------------------------------------------
  // Follow-up 1: codex-action `sandbox: read-only` and the read-only safety strategy (action.yml, src/runCodexExec.ts).

  const codexStep = (ref: string, withLines: string) =>
    run(
      aiAgentInjection,
      wf(
        'pull_request_target',
        `      - uses: openai/codex-action@${ref}\n        with:\n${withLines}          prompt: Review ${E('github.event.pull_request.title')}\n`,
      ),
    )[0];
  const toolsNote = (finding: { related: { message: string }[] }) =>
    finding.related.filter((r) => /The agent's tools/.test(r.message)).map((r) => r.message);

  it('codex-action sandbox: read-only and safety-strategy: read-only narrow the tools like permission-profile :read-only', () => {
    const plain = codexStep('v1', '');
    assert.equal(plain.severity, 'medium');
    const sandbox = codexStep('v1', '          sandbox: read-only\n');
    assert.equal(sandbox.severity, 'low');
    assert.match(sandbox.message, /only returns text/);
    assert.deepEqual(toolsNote(sandbox), [
      "The agent's tools: `sandbox: read-only` lets the commands it runs read files but not write them or reach the network",
    ]);
    const strategy = codexStep('v1', '          safety-strategy: read-only\n');
    assert.equal(strategy.severity, 'low');
    assert.match(toolsNote(strategy)[0], /`safety-strategy: read-only` runs Codex in a read-only sandbox whatever `sandbox` says/);
    assert.match(toolsNote(strategy)[0], /`openai-api-key`/);
    // The strategy forces the read-only sandbox (determineSandboxMode), whatever `sandbox` asks for.
    const forced = codexStep('v1', '          sandbox: danger-full-access\n          safety-strategy: read-only\n');
    assert.equal(forced.severity, 'low');
    assert.doesNotMatch(forced.message, /danger-full-access/);
    // Before v1.0 the input and its values were spelt with underscores.
    const old = codexStep('v1', '          safety_strategy: read_only\n');
    assert.equal(old.severity, 'low');
    assert.match(toolsNote(old)[0], /`safety_strategy: read_only`/);
  });

  it('codex-action: other sandbox values, other spellings and raising inputs keep or raise the tools', () => {
    const plain = codexStep('v1', '');
    // Each release accepts only its own spelling; another one fails the run instead of narrowing anything.
    for (const withLines of [
      '          safety-strategy: read_only\n',
      '          safety_strategy: read-only\n',
      '          safety-strategy: drop-sudo\n',
      `          sandbox: ${E('vars.SANDBOX')}\n`,
    ]) {
      const found = codexStep('v1', withLines);
      assert.equal(found.severity, 'medium', withLines);
      assert.equal(found.message, plain.message, withLines);
    }
    const workspace = codexStep('v1', '          sandbox: workspace-write\n');
    assert.equal(workspace.severity, 'medium');
    assert.match(workspace.message, /`sandbox: workspace-write` lets the commands it runs write inside the workspace/);
    const danger = codexStep('v1', '          sandbox: danger-full-access\n');
    assert.equal(danger.severity, 'high');
    assert.match(danger.message, /`sandbox: danger-full-access` runs its commands without a sandbox/);
    // Flags in codex-args and the unsafe strategy still raise a read-only sandbox.
    assert.equal(
      codexStep('v1', '          sandbox: read-only\n          codex-args: --dangerously-bypass-approvals-and-sandbox\n').severity,
      'high',
    );
    assert.equal(
      codexStep('v1', '          safety-strategy: read-only\n          codex-args: --dangerously-bypass-approvals-and-sandbox\n').severity,
      'high',
    );
    assert.equal(codexStep('v1', '          sandbox: read-only\n          safety-strategy: unsafe\n').severity, 'high');
  });

  it('codex-action read-only sandbox: no auditor finding for a prompt file on an open trigger', () => {
    const step = (extra: string) =>
      wf(
        'issues',
        `      - uses: openai/codex-action@v1\n        with:\n${extra}          allow-users: '*'\n          prompt-file: \${{ runner.temp }}/prompt.md\n`,
      );
    assert.equal(run(aiAgentInjection, step('')).length, 1);
    assert.equal(run(aiAgentInjection, step('          sandbox: read-only\n')).length, 0);
    assert.equal(run(aiAgentInjection, step('          safety-strategy: read-only\n')).length, 0);
    assert.equal(run(aiAgentInjection, step('          sandbox: workspace-write\n')).length, 1);
  });

  // -------------------------------------------------------------------------------------------------
  // Follow-up 2: only the whole value `*` means everyone (codex src/checkActorPermissions.ts, claude permissions.ts).

  it('codex-action allow-users: only `*` opens the agent; `all`, `everyone` and lists name users', () => {
    const who = (finding: { related: { message: string }[] }) =>
      finding.related.filter((r) => /Who may trigger/.test(r.message)).map((r) => r.message);
    const plain = codexStep('v1', '');
    for (const value of ["'*'", "' * '", '"*"']) {
      const open = codexStep('v1', `          allow-users: ${value}\n`);
      assert.equal(open.severity, 'high', value);
      assert.match(open.message, /`allow-users: '\*'` lets anyone trigger it/, value);
    }
    for (const value of ['all', 'everyone', 'Everyone']) {
      const named = codexStep('v1', `          allow-users: ${value}\n`);
      assert.equal(named.severity, plain.severity, value);
      assert.doesNotMatch(named.message, /lets anyone/, value);
      assert.deepEqual(
        who(named),
        [
          `Who may trigger the agent: \`allow-users: ${value}\` lets only the user \`${value}\` skip the write-access check; everyone else still needs write access (only the whole value \`'*'\` means everyone)`,
        ],
        value,
      );
    }
    const list = codexStep('v1', '          allow-users: octocat, hubot\n');
    assert.equal(list.severity, plain.severity);
    assert.deepEqual(who(list), [
      'Who may trigger the agent: `allow-users: octocat, hubot` lets only the users `octocat`, `hubot` skip the write-access check; everyone else still needs write access',
    ]);
    // A `*` inside a list is one more login that nobody has.
    const starInList = codexStep('v1', "          allow-users: 'octocat, *'\n");
    assert.equal(starInList.severity, plain.severity);
    assert.match(who(starInList)[0], /lets only the user `octocat` skip.*only the whole value `'\*'` means everyone/);
    assert.deepEqual(who(codexStep('v1', `          allow-users: ${E('vars.ALLOWED')}\n`)), []);
  });

  it('claude-code-action allowed_non_write_users: only `*` with github_token opens it; named users do not', () => {
    const token = `          github_token: ${E('secrets.GITHUB_TOKEN')}\n`;
    const step = (withLines: string) =>
      run(aiAgentInjection, wf('issues', claude(`${withLines}          prompt: "Summarize: ${E('github.event.issue.body')}"\n`)))[0];
    const who = (finding: { related: { message: string }[] }) =>
      finding.related.filter((r) => /Who may trigger/.test(r.message)).map((r) => r.message);
    assert.equal(step(`${token}          allowed_non_write_users: '*'\n`).severity, 'high');
    for (const value of ['all', 'everyone', 'ALL']) {
      const named = step(`${token}          allowed_non_write_users: ${value}\n`);
      assert.equal(named.severity, 'medium', value);
      assert.doesNotMatch(named.message, /lets anyone/, value);
      assert.deepEqual(
        who(named),
        [
          `Who may trigger the agent: \`allowed_non_write_users: ${value}\` with \`github_token\` given lets only the user \`${value}\` skip the write-access check; everyone else still needs write access (only the whole value \`'*'\` means everyone)`,
        ],
        value,
      );
      // Without github_token the action ignores the input altogether.
      assert.deepEqual(who(step(`          allowed_non_write_users: ${value}\n`)), [], value);
    }
    assert.match(
      who(step(`${token}          allowed_non_write_users: octocat,hubot\n`))[0],
      /lets only the users `octocat`, `hubot` skip the write-access check; everyone else still needs write access$/,
    );
    // Tag mode: a named login is nobody new instructing the agent.
    const tag = (value: string) =>
      run(
        aiAgentInjection,
        wf('issue_comment', claude(`${token}          allowed_non_write_users: ${value}\n          claude_args: --allowedTools Bash\n`)),
      );
    assert.equal(tag('everyone').length, 0);
    assert.equal(tag('"*"').length, 1);
  });

  // -------------------------------------------------------------------------------------------------
  // Follow-up 3: claude_args is split by shell-quote, which drops unquoted parentheses before v1.0.149
  // (base-action/src/parse-sdk-options.ts, claude-code-action pull request #1350).

  const claudeAt = (action: string, ref: string, withLines: string) =>
    run(
      aiAgentInjection,
      wf(
        'issues',
        `      - uses: anthropics/${action}@${ref}\n        with:\n${withLines}          prompt: "Summarize: ${E('github.event.issue.body')}"\n`,
        "    if: github.event.issue.author_association == 'MEMBER'\n",
      ),
    )[0];

  it('claude_args before v1.0.149: an unquoted Bash(git:*) reaches Claude as a bare Bash, any shell command', () => {
    const old = claudeAt('claude-code-action', 'v1.0.86', '          claude_args: --allowedTools Bash(git:*)\n');
    assert.equal(old.severity, 'high');
    assert.match(
      old.message,
      /`claude_args` allows any shell command: releases before v1\.0\.149 \(this step uses `@v1\.0\.86`\) split `claude_args` like a shell and drop unquoted parentheses, so `Bash\(git:\*\)` reaches Claude as a bare `Bash`; write it quoted, `"Bash\(git:\*\)"`/,
    );
    // The example of pull request #1350: a list of scoped rules collapses to View and Bash.
    const list = claudeAt('claude-code-action', 'v1.0.148', '          claude_args: --allowedTools View,Bash(gh:*),Bash(cat:*)\n');
    assert.equal(list.severity, 'high');
    assert.match(list.message, /so `Bash\(gh:\*\)`, `Bash\(cat:\*\)` reaches Claude as a bare `Bash`/);
    // Spaces inside unquoted parentheses (issue #844): the tools become Bash, git, diff.
    const spaced = claudeAt(
      'claude-code-action',
      'v1.0.86',
      '          claude_args: |\n            --max-turns 15\n            --allowedTools Bash(git diff --name-only HEAD~1),Read\n',
    );
    assert.equal(spaced.severity, 'high');
    assert.equal(claudeAt('claude-code-base-action', 'beta', '          claude_args: --allowedTools Bash(npm test)\n').severity, 'high');
    assert.equal(claudeAt('claude-code-action', 'v0', '          claude_args: --allowedTools Bash(git:*)\n').severity, 'high');
    // Quoted, the rule survives; the `allowed_tools` input is split at commas only, never by shell-quote.
    for (const withLines of [
      `          claude_args: '--allowedTools "Bash(git:*)"'\n`,
      `          claude_args: "--allowedTools 'Bash(git log:*)',Read"\n`,
    ]) {
      const quoted = claudeAt('claude-code-action', 'v1.0.86', withLines);
      assert.equal(quoted.severity, 'medium', withLines);
      assert.match(quoted.message, /`claude_args` allows some shell commands\)/, withLines);
    }
    assert.equal(claudeAt('claude-code-base-action', 'beta', '          allowed_tools: Bash(git:*),View\n').severity, 'medium');
    // A plainly written Bash keeps the plain message.
    assert.match(
      claudeAt('claude-code-action', 'v1.0.86', '          claude_args: --allowedTools Bash,Bash(git:*)\n').message,
      /`claude_args` allows any shell command \(`Bash`\)/,
    );
  });

  it('claude_args from v1.0.149 (and @v1, @main): unquoted parentheses survive, the current reading holds', () => {
    for (const ref of ['v1', 'v1.0.149', 'v1.0.200', 'main']) {
      const kept = claudeAt('claude-code-action', ref, '          claude_args: --allowedTools Bash(git:*)\n');
      assert.equal(kept.severity, 'medium', ref);
      assert.match(kept.message, /\(`claude_args` allows some shell commands\)$/, ref);
    }
    assert.equal(claudeAt('claude-code-base-action', 'v1', '          claude_args: --allowedTools Bash(git:*)\n').severity, 'medium');
    // A commit SHA cannot be dated: the current reading, with the older one named.
    const pinned = claudeAt(
      'claude-code-action',
      '0123456789abcdef0123456789abcdef01234567',
      '          claude_args: --allowedTools Bash(gh pr view:*)\n',
    );
    assert.equal(pinned.severity, 'medium');
    assert.match(
      pinned.message,
      /`claude_args` allows some shell commands, but `@0123456789abcdef0123456789abcdef01234567` cannot be dated: releases before v1\.0\.149 drop the unquoted parentheses of `Bash\(gh pr view:\*\)` and so allow any shell command/,
    );
    assert.doesNotMatch(
      claudeAt('claude-code-action', '0123456789abcdef0123456789abcdef01234567', `          claude_args: '--allowedTools "Bash(git:*)"'\n`)
        .message,
      /cannot be dated/,
    );
  });

  it('claude_args before v1.0.149: an unquoted scoped deny denies the whole shell; a flag without a value denies nothing', () => {
    const args = '          claude_args: --allowedTools Bash --disallowedTools Bash(rm:*)\n';
    assert.equal(claudeAt('claude-code-action', 'v1.0.86', args).severity, 'medium');
    assert.equal(claudeAt('claude-code-action', 'v1', args).severity, 'high');
    // shell-quote leaves an empty word for a `\` before a line break, and the action then reads the flag as boolean.
    const continued = '          claude_args: |\n            --allowedTools Bash\n            --disallowedTools \\\n              Bash\n';
    assert.equal(claudeAt('claude-code-action', 'v1.0.86', continued).severity, 'high');
    // Lines that are only a comment never reach Claude, in any release.
    for (const ref of ['v1.0.86', 'v1']) {
      assert.equal(
        claudeAt(
          'claude-code-base-action',
          ref,
          '          claude_args: |\n            # --allowedTools Bash\n            --allowedTools Read\n',
        ).severity,
        'low',
        ref,
      );
    }
  });

  it('never throws on malformed input', () => {
    for (const text of [
      wf('issues', `      - uses: anthropics/claude-code-action@v1\n        with: nope\n`),
      wf(
        'issues',
        `      - uses: anthropics/claude-code-action@v1\n        with:\n          prompt: [1, 2]\n          claude_args: {a: b}\n          allowed_non_write_users: 3\n`,
      ),
      wf('issues', `      - uses: [x]\n`),
      wf(
        'issues',
        `      - uses: anthropics/claude-code-base-action@v1\n        with:\n          settings: '{"permissions": {"allow": "Bash", "deny": [1, null]}, '\n          claude_args: '--disallowedTools'\n          prompt: \${{ github.event.issue.title }}\n`,
      ),
      wf(
        'issues',
        `      - uses: google-github-actions/run-gemini-cli@v0\n        with:\n          settings: '{"tools": ["x"], "excludeTools": "run_shell_command"}'\n          prompt: \${{ github.event.issue.title }}\n`,
      ),
      wf(
        'issues',
        `      - uses: openai/codex-action@v1\n        with:\n          permission-profile: [1]\n          allow-bot-users: ','\n          prompt: \${{ github.event.issue.title }}\n`,
      ),
      wf(
        'issues',
        `      - uses: anthropics/claude-code-action@v1.0.1\n        with:\n          claude_args: '--allowedTools "Bash(git:* \\\\ \${{ x }} #(' \n          prompt: \${{ github.event.issue.title }}\n`,
      ),
      wf(
        'issues',
        `      - uses: anthropics/claude-code-action@v1.0.1\n        with:\n          claude_args: "Bash( ) ( --disallowedTools\\\\"\n          prompt: \${{ github.event.issue.title }}\n`,
      ),
      wf(
        'issues',
        `      - uses: openai/codex-action@v1\n        with:\n          sandbox: [read-only]\n          safety-strategy: {a: 1}\n          allow-users: ','\n          prompt: \${{ github.event.issue.title }}\n`,
      ),
      'on: issues\njobs: 3\n',
    ]) {
      assert.doesNotThrow(() => run(aiAgentInjection, text));
    }
  });
});

describe('ai-agent-injection: minimal workflows', () => {
  test('an issue body in the prompt of claude-code-action under `issues`: the context', () => {
    const text =
      'on: issues\npermissions:\n  contents: write\njobs:\n  agent:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          prompt: "Triage: ${{ github.event.issue.body }}"\n';
    expectFindings(text, 'ai-agent-injection', [
      ['9:31-9:54', /`github.event.issue.body` is written into `prompt` of `anthropics\/claude-code-action`/],
    ]);
  });

  test('a pull request title in the prompt of codex-action under pull_request_target', () => {
    const text =
      'on: pull_request_target\npermissions:\n  contents: write\njobs:\n  agent:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: openai/codex-action@v1\n        with:\n          prompt: ${{ github.event.pull_request.title }}\n';
    expectFindings(text, 'ai-agent-injection', [
      ['9:22-9:53', /`github.event.pull_request.title` is written into `prompt` of `openai\/codex-action`/],
    ]);
  });

  test('under `push` with a fixed context the prompt is not flagged', () => {
    expectFindings(
      'on: push\npermissions:\n  contents: write\njobs:\n  agent:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          prompt: "Review ${{ github.sha }}"\n',
      'ai-agent-injection',
      [],
    );
  });

  test('a fixed prompt under workflow_dispatch is not flagged', () => {
    expectFindings(
      'on: workflow_dispatch\npermissions:\n  contents: write\njobs:\n  agent:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          prompt: "Update the changelog"\n',
      'ai-agent-injection',
      [],
    );
  });
});
