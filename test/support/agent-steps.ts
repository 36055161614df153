/** Builds an agent step from its `with:` lines and reads it with the readers of knowledge/agents. */
import { parseAs } from './analysis';
import { agentActionFor, type AgentAction } from '../../server/src/knowledge/agent-actions';
import type { StepView } from '../../server/src/parse/views';

export const SPAN = { start: 0, end: 0 };

export function agentStep(uses: string, withLines: Record<string, string>): { step: StepView; agent: AgentAction } {
  const lines = Object.entries(withLines)
    .map(([key, value]) => `          ${key}: ${value}\n`)
    .join('');
  const text = `on: issues\njobs:\n  work:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}\n        with:\n${lines}`;
  const step = parseAs(text).workflow!.jobs[0].steps[0];
  const [owner, repo] = uses.split('@')[0].split('/');
  return { step, agent: agentActionFor(owner, repo, null)! };
}
