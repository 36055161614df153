import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentAccess, agentTools } from '../../../server/src/knowledge/agents';
import { readCodexAccess } from '../../../server/src/knowledge/agents/codex';
import { agentStep, SPAN } from '../../support/agent-steps';

const tools = (withLines: Record<string, string>, ref = 'v1') => {
  const { step, agent } = agentStep(`openai/codex-action@${ref}`, withLines);
  return agentTools(step, agent, ref);
};

describe('knowledge/agents/codex', () => {
  it('sandbox, safety-strategy and permission-profile set the tools', () => {
    assert.equal(tools({}).tools, 'limited');
    assert.equal(tools({ sandbox: 'read-only' }).tools, 'none');
    assert.equal(tools({ sandbox: 'danger-full-access' }).tools, 'shell');
    // The read-only strategy wins over the sandbox, in its own release's spelling only.
    assert.equal(tools({ sandbox: 'danger-full-access', 'safety-strategy': 'read-only' }).tools, 'none');
    assert.equal(tools({ sandbox: 'danger-full-access', 'safety-strategy': 'read_only' }).tools, 'shell');
    assert.equal(tools({ 'safety-strategy': 'unsafe' }).tools, 'shell');
    assert.equal(tools({ 'permission-profile': "':read-only'" }).tools, 'none');
    assert.equal(tools({ 'permission-profile': "':danger-no-sandbox'" }).tools, 'shell');
    const named = tools({ 'permission-profile': 'triage', 'codex-home': 'agents/codex/' });
    assert.equal(named.tools, 'limited');
    assert.match(named.toolsWhy, /`agents\/codex\/config\.toml`/);
  });

  it('access: only the whole `*` opens; names, bots and v1 require_repo_write', () => {
    assert.equal(readCodexAccess('allow-users', 'allow-users', '*', SPAN, 'v1')?.open, true);
    assert.equal(readCodexAccess('allow-users', 'allow-users', 'a, *', SPAN, 'v1')?.open, false);
    assert.equal(readCodexAccess('allow-users', 'allow-users', '', SPAN, 'v1'), null);
    assert.equal(readCodexAccess('require_repo_write', 'require_repo_write', 'false', SPAN, 'v1')?.open, true);
    assert.equal(readCodexAccess('require_repo_write', 'require_repo_write', 'true', SPAN, 'v1'), null);
    assert.match(readCodexAccess('allow-bots', 'allow-bots', 'true', SPAN, 'v1.8.0')!.why, /only `github-actions\[bot\]`/);
    assert.match(readCodexAccess('allow-bots', 'allow-bots', 'true', SPAN, 'v1.6')!.why, /any account whose login ends in `\[bot\]`/);
    assert.match(readCodexAccess('allow-bot-users', 'allow-bot-users', '*', SPAN, 'v1')!.why, /refused by the action/);
  });

  it('an input that opens the agent wins over one that only names users, whatever the order', () => {
    const { step, agent } = agentStep('openai/codex-action@v1', { 'allow-bots': 'true', 'allow-users': "'*'" });
    const access = agentAccess(step, agent, 'v1');
    assert.equal(access.open, true);
    assert.match(access.openWhy, /lets anyone trigger it/);
  });
});
