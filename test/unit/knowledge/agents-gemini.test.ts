import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentTools } from '../../../server/src/knowledge/agents';
import { readGeminiSettings } from '../../../server/src/knowledge/agents/gemini';
import { agentStep, SPAN } from '../../support/agent-steps';

describe('knowledge/agents/gemini', () => {
  it('settings: core tools narrow, a listed shell raises, an excluded shell is denied', () => {
    assert.deepEqual(readGeminiSettings('settings', 'settings.json', SPAN), { effects: [] });
    assert.equal(readGeminiSettings('settings', '{"coreTools": ["ReadFileTool"]}', SPAN).base?.level, 'limited');
    assert.equal(readGeminiSettings('settings', '{"tools": {"core": ["run_shell_command"]}}', SPAN).effects[0].level, 'shell');
    assert.equal(readGeminiSettings('settings', '{"coreTools": ["run_shell_command(gh)"]}', SPAN).effects[0].level, 'limited');
    assert.match(
      readGeminiSettings('settings', '{"tools": {"exclude": ["run_shell_command"]}}', SPAN).shellDenied!.why,
      /`tools\.exclude`/,
    );
    assert.equal(readGeminiSettings('settings', '{"excludeTools": ["run_shell_command(rm)"]}', SPAN).shellDenied, undefined);
  });

  it('tools of a step: a shell by default (--yolo), limited with the shell excluded', () => {
    const plain = agentStep('google-github-actions/run-gemini-cli@v0', { prompt: 'hi' });
    assert.equal(agentTools(plain.step, plain.agent, 'v0').tools, 'shell');
    const excluded = agentStep('google-github-actions/run-gemini-cli@v0', { settings: `'{"excludeTools": ["run_shell_command"]}'` });
    const tools = agentTools(excluded.step, excluded.agent, 'v0');
    assert.equal(tools.tools, 'limited');
    assert.match(tools.toolsWhy, /still approves its other tools/);
  });
});
