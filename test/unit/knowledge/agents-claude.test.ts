import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentAccess, agentTools } from '../../../server/src/knowledge/agents';
import { readClaudeToolInput } from '../../../server/src/knowledge/agents/claude';
import { agentStep, SPAN } from '../../support/agent-steps';

const args = (text: string, ref: string | null) => readClaudeToolInput('claude_args', 'claude_args', text, SPAN, ref)!;

describe('knowledge/agents/claude', () => {
  it('claude_args: an unquoted Bash(…) is a bare Bash before v1.0.149, some commands from it on', () => {
    const text = '--allowedTools Bash(git:*)';
    for (const ref of ['v0.0.9', 'beta', 'v1.0.148']) assert.equal(args(text, ref).effects[0].level, 'shell', ref);
    for (const ref of ['v1', 'main', 'v1.0.149', 'v2.0.0']) assert.equal(args(text, ref).effects[0].level, 'limited', ref);
    assert.match(args(text, 'abc1234').effects[0].why, /cannot be dated/);
    // Quoted, every release keeps the parentheses.
    assert.equal(args('--allowedTools "Bash(git:*)"', 'v1.0.1').effects[0].level, 'limited');
  });

  it('claude_args: --disallowedTools Bash denies the shell; a scoped deny only does before v1.0.149', () => {
    assert.ok(args('--disallowedTools Bash', 'v1').shellDenied);
    assert.equal(args('--disallowedTools "Bash(rm:*)"', 'v1').shellDenied, undefined);
    assert.ok(args('--disallowedTools Bash(rm:*)', 'v1.0.3').shellDenied);
    assert.equal(args('--disallowedTools Bash(rm:*)', 'v1').shellDenied, undefined);
    // A line that is only a comment is dropped.
    assert.deepEqual(args('# --allowedTools Bash\n--allowedTools Read', 'v1').effects, []);
  });

  it('settings: permissions.allow raises, a bare Bash deny removes the shell, a file path says nothing', () => {
    const settings = (text: string) => readClaudeToolInput('settings', 'settings', text, SPAN, 'v1')!;
    assert.deepEqual(settings('.github/claude-settings.json'), { effects: [] });
    assert.equal(settings('{"permissions": {"allow": ["Bash"]}}').effects[0].level, 'shell');
    assert.equal(settings('{"permissions": {"allow": ["Bash(gh issue view:*)", "Edit"]}}').effects[0].level, 'limited');
    assert.ok(settings('{"permissions": {"deny": ["Bash"]}}').shellDenied);
    assert.equal(settings('{"permissions": {"deny": ["Bash(rm *)"]}}').shellDenied, undefined);
    // Not JSON (a broken object): the lists are still found.
    assert.equal(settings('{"permissions": {"allow": ["Bash"], ').effects[0].level, 'shell');
    assert.equal(readClaudeToolInput('allowed_tools', 'allowed_tools', 'Bash', SPAN, 'v1'), null);
  });

  it('tools and access of a step: defaults, a denied shell, allowed_non_write_users with and without github_token', () => {
    const plain = agentStep('anthropics/claude-code-action@v1', { prompt: 'hi' });
    assert.equal(agentTools(plain.step, plain.agent, 'v1').tools, 'limited');
    const denied = agentStep('anthropics/claude-code-action@v1', { claude_args: '--allowedTools Bash --disallowedTools Bash' });
    assert.equal(agentTools(denied.step, denied.agent, 'v1').tools, 'limited');
    const withoutToken = agentStep('anthropics/claude-code-action@v1', { allowed_non_write_users: "'*'" });
    assert.deepEqual(agentAccess(withoutToken.step, withoutToken.agent, 'v1'), { open: false, openWhy: '', openSpan: null });
    const open = agentStep('anthropics/claude-code-action@v1', { allowed_non_write_users: "'*'", github_token: 'x' });
    assert.equal(agentAccess(open.step, open.agent, 'v1').open, true);
    const named = agentStep('anthropics/claude-code-action@v1', { allowed_non_write_users: 'everyone', github_token: 'x' });
    const access = agentAccess(named.step, named.agent, 'v1');
    assert.equal(access.open, false);
    assert.match(access.openWhy, /only the whole value/);
  });
});
