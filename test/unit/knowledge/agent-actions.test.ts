import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGENT_ACTIONS, agentActionFor } from '../../../server/src/knowledge/agent-actions';
import { codeSinkFor } from '../../../server/src/knowledge/code-sinks';

describe('agent-actions table', () => {
  it('finds an agent by repository, case-insensitively, also under a sub-path', () => {
    assert.equal(agentActionFor('Anthropics', 'Claude-Code-Action', null)?.action, 'anthropics/claude-code-action');
    assert.equal(agentActionFor('openai', 'codex-action', 'sub/dir')?.action, 'openai/codex-action');
    assert.equal(agentActionFor('actions', 'checkout', null), undefined);
    // Agents are not code sinks, and code sinks are not agents.
    assert.equal(codeSinkFor('anthropics', 'claude-code-action', null), undefined);
    assert.equal(agentActionFor('actions', 'github-script', null), undefined);
  });

  it('every entry names its sources at a full commit, except the ones marked unverified', () => {
    const unverified = AGENT_ACTIONS.filter((agent) => agent.sources.length === 0).map((agent) => agent.action);
    assert.deepEqual(unverified.sort(), ['cursor/cursor-agent-action', 'github/copilot-swe-agent']);
    for (const agent of AGENT_ACTIONS) {
      assert.equal(agent.action, agent.action.toLowerCase());
      for (const source of agent.sources) assert.match(source.commit, /^[0-9a-f]{40}$/, `${agent.action} ${source.file}`);
    }
  });

  it('only inputs that exist are listed, and a tag-mode agent is gated', () => {
    for (const agent of AGENT_ACTIONS) {
      if (agent.tagMode) assert.ok(agent.gated, agent.action);
      for (const input of [...agent.promptInputs, ...agent.openAccessInputs, ...agent.toolInputs]) assert.equal(input, input.toLowerCase());
    }
  });
});
