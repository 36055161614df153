/**
 * `ai-agent-injection`: text that someone outside the project writes (an issue title, a comment, a pull
 * request body) reaching the prompt of an AI agent action, on a trigger that outsiders can fire. The
 * model cannot tell the workflow author's instructions from the attacker's, so the attacker steers an
 * agent that holds the job's token, its secrets and whatever tools the step allows (Cline, 2026).
 *
 * The agent actions and their defaults are in `knowledge/agent-actions.ts`; what a step's inputs do to the
 * agent's tools and to who may trigger it is read by `knowledge/agents/`.
 */
import { agentActionFor, type AgentAction, type ToolLevel } from '../knowledge/agent-actions';
import { agentAccess, agentTools, withValue } from '../knowledge/agents';
import { assessSite, scopeOf, scopeTriggers, type LeafVerdict } from '../knowledge/taint';
import { triggerInfo } from '../knowledge/triggers';
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { parseUses } from '../parse/uses';
import { stepKeysStart, type JobView, type StepView } from '../parse/views';
import { scalarText } from '../parse/yaml-nodes';
import type { Rule } from './types';
import type { Confidence, RelatedSpan, Severity } from '../findings';

interface AgentFacts {
  agent: AgentAction;
  repository: string;
  tools: ToolLevel;
  /** Why the tools are what they are ("`Bash` in `claude_args`"), with the span to point at. */
  toolsWhy: string;
  toolsSpan: Span | null;
  /** True when people without write access can make the agent run. */
  open: boolean;
  openWhy: string;
  openSpan: Span | null;
}

/** Reads the tool and access settings of an agent step. */
function agentFacts(
  step: StepView,
  agent: AgentAction,
  repository: string,
  ref: string | null,
  file: ParsedFile,
  job: JobView | null,
): AgentFacts {
  const { tools, toolsWhy, toolsSpan } = agentTools(step, agent, ref);
  const access = agentAccess(step, agent, ref);
  let { open, openWhy } = access;
  if (!agent.gated && !open && !guardedByCondition(step, job)) {
    const triggers = scopeTriggers(file);
    if (triggers && triggers.some((trigger) => triggerInfo(trigger)?.outsiderCanFire)) {
      open = true;
      openWhy = `\`${repository}\` does not check the permissions of whoever triggers it, and no \`if:\` does`;
    }
  }
  return { agent, repository, tools, toolsWhy, toolsSpan, open, openWhy, openSpan: access.openSpan };
}

/** True when the job's or step's `if:` looks at who caused the event (association, login, a label set by a writer). */
function guardedByCondition(step: StepView, job: JobView | null): boolean {
  const texts = [scalarText(step.if?.value ?? null), scalarText(job?.if?.value ?? null)];
  return texts.some(
    (text) =>
      text !== null && /author_association|\.actor\b|triggering_actor|sender\.login|user\.login|\.labels?\b|label\.name/i.test(text),
  );
}

function severityFor(facts: AgentFacts): Severity {
  if (facts.tools === 'shell') return 'high';
  if (facts.tools === 'limited') return facts.open ? 'high' : 'medium';
  return 'low';
}

function lower(confidence: Confidence): Confidence {
  return confidence === 'high' ? 'medium' : 'low';
}

function related(facts: AgentFacts): RelatedSpan[] {
  const out: RelatedSpan[] = [];
  if (facts.toolsSpan) out.push({ span: facts.toolsSpan, message: `The agent's tools: ${facts.toolsWhy}` });
  if (facts.openSpan) out.push({ span: facts.openSpan, message: `Who may trigger the agent: ${facts.openWhy}` });
  return out;
}

function aggravation(facts: AgentFacts): string {
  const parts: string[] = [];
  if (facts.tools !== 'none') parts.push(facts.toolsWhy);
  else parts.push(`\`${facts.repository}\` only returns text, so an attacker steers its output`);
  if (facts.open) parts.push(facts.openWhy);
  return parts.join('; ');
}

/** Phrases of a prompt that tell the agent to go and read what an outsider wrote. */
const READS_EVENT_TEXT = /\b(issue|pull request|PR|comment|discussion|review)s?\b/i;

export const aiAgentInjection: Rule = {
  id: 'ai-agent-injection',
  title: 'Untrusted text in the prompt of an AI agent',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'Text that outsiders write (issue or pull request titles and bodies, comments, reviews, discussions, branch names) reaches the prompt of an AI agent action such as `anthropics/claude-code-action`, `openai/codex-action` or `google-github-actions/run-gemini-cli`.',
    why: "A model cannot tell the workflow author's instructions from instructions hidden in the text it is given. In Cline (2026), an `issues` workflow passed the issue title to `claude-code-action`, open to non-writers and allowed to run `Bash`; an issue title told the agent to run commands, which poisoned a cache used by the nightly publish and shipped a malicious `cline` release.",
    fix: "Do not put outsider text in the prompt: have the agent read it through a read-only tool, keep the agent to read-only tools (no `Bash`, no `danger-full-access`), keep the default write-access check (no `allowed_non_write_users: '*'`), and give the job `permissions:` no wider than the agent needs, with no secrets other than the model key.",
  },
  check({ file, report }) {
    const reportedSteps = new Set<StepView>();
    const factsCache = new Map<StepView, AgentFacts | null>();
    const factsOf = (step: StepView, job: JobView | null): AgentFacts | null => {
      if (factsCache.has(step)) return factsCache.get(step)!;
      const uses = scalarText(step.uses?.value ?? null);
      let facts: AgentFacts | null = null;
      if (uses) {
        const reference = parseUses(uses);
        if (reference.kind === 'remote') {
          const agent = agentActionFor(reference.owner, reference.repo, reference.subpath);
          if (agent) facts = agentFacts(step, agent, reference.repository, reference.ref, file, job);
        }
      }
      factsCache.set(step, facts);
      return facts;
    };

    // 1. Expressions in prompt inputs.
    const kind = file.workflow ? 'workflow' : 'action';
    for (const site of file.expressions) {
      const path = site.path;
      const base = stepKeysStart(path, kind);
      if (base === -1 || path.length !== base + 2 || path[base] !== 'with' || typeof path[base + 1] !== 'string') continue;
      if (!site.occurrence.terminated || !site.occurrence.parsed.ast) continue;
      const scope = scopeOf(file, path);
      const step = scope.step;
      if (!step) continue;
      const facts = factsOf(step, scope.job);
      if (!facts) continue;
      const input = String(path[base + 1]);
      if (!facts.agent.promptInputs.includes(input.toLowerCase())) continue;
      for (const leaf of assessSite(site, scope)) {
        const verdict = leaf.verdict;
        if (verdict.capability !== 'arbitrary' || (verdict.severity !== 'high' && verdict.severity !== 'medium')) continue;
        reportedSteps.add(step);
        reportLeaf(leaf, input, facts, scope.triggers !== null);
      }
    }

    function reportLeaf(leaf: LeafVerdict, input: string, facts: AgentFacts, knownTriggers: boolean) {
      const verdict = leaf.verdict;
      const outsider = verdict.severity === 'high';
      const severity: Severity = outsider ? severityFor(facts) : 'low';
      const confidence: Confidence = !outsider ? 'low' : knownTriggers ? verdict.confidence : lower(verdict.confidence);
      report({
        span: { start: leaf.start, end: leaf.end },
        message: `\`${leaf.path}\` is written into \`${input}\` of \`${facts.repository}\`, the agent's instructions: ${verdict.reason}. Whoever writes it can steer the agent (${aggravation(facts)})`,
        severity,
        confidence,
        persona: outsider ? 'regular' : 'pedantic',
        related: related(facts),
      });
    }

    // 2. Agents that outsiders can instruct without any expression: an open agent whose prompt is the
    //    triggering comment (no `prompt`), or a prompt telling a tool-using agent to read the event's text.
    const triggers = scopeTriggers(file);
    const outsiderTriggers = (triggers ?? []).filter((trigger) => triggerInfo(trigger)?.outsiderCanFire);
    if (!file.workflow || outsiderTriggers.length === 0) return;
    for (const job of file.workflow.jobs) {
      for (const step of job.steps) {
        if (reportedSteps.has(step)) continue;
        const facts = factsOf(step, job);
        if (!facts || !step.uses) continue;
        const prompts = facts.agent.promptInputs
          .filter((name) => name !== 'claude_args' && name !== 'codex-args' && name !== 'codex_args')
          .map((name) => withValue(step, name))
          .filter((value) => value !== null);
        const promptFile = withValue(step, 'prompt-file') ?? withValue(step, 'prompt_file');
        const usesSpan = step.uses.valueSpan;
        const tagMode = facts.agent.tagMode;
        const triggerText = outsiderTriggers.map((t) => `\`${t}\``).join(', ');
        if (prompts.length === 0 && !promptFile && facts.open && tagMode && facts.openSpan) {
          report({
            span: facts.openSpan,
            message: `\`${facts.repository}\` takes its instructions from the triggering comment, issue or pull request, and ${facts.openWhy} (${triggerText}): anyone can instruct the agent (${facts.tools !== 'none' ? facts.toolsWhy : 'no tools'})`,
            severity: facts.tools === 'none' ? 'low' : 'high',
            confidence: 'medium',
            related: facts.toolsSpan ? [{ span: facts.toolsSpan, message: `The agent's tools: ${facts.toolsWhy}` }] : [],
          });
          continue;
        }
        if (facts.tools === 'none') continue;
        // Indirect: the prompt (or a prompt file the job assembles) sends the agent to the event's text.
        const reading = prompts.find((value) => READS_EVENT_TEXT.test(value.text)) ?? promptFile ?? (facts.open ? prompts[0] : undefined);
        if (!reading) continue;
        report({
          span: usesSpan,
          message: `\`${facts.repository}\` runs under ${triggerText} with ${reading === promptFile ? 'a prompt file assembled by the job' : 'a prompt about the event'}: text an outsider writes may reach the model (${aggravation(facts)}); check what its tools and token can do`,
          severity: 'medium',
          confidence: 'low',
          persona: 'auditor',
          related: [{ span: reading.entry.valueSpan, message: 'The prompt' }, ...related(facts)],
        });
      }
    }
  },
};
