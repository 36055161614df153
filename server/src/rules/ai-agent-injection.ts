/**
 * `ai-agent-injection`: text that someone outside the project writes (an issue title, a comment, a pull
 * request body) reaching the prompt of an AI agent action, on a trigger that outsiders can fire. The
 * model cannot tell the workflow author's instructions from the attacker's, so the attacker steers an
 * agent that holds the job's token, its secrets and whatever tools the step allows (Cline, 2026).
 */
import { agentActionFor, type AgentAction } from '../knowledge/code-sinks';
import { assessSite, scopeOf, scopeTriggers, type LeafVerdict } from '../knowledge/taint';
import { triggerInfo } from '../knowledge/triggers';
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { parseUses } from '../parse/uses';
import type { JobView, StepView } from '../parse/views';
import { scalarText, type Entry } from '../parse/yaml-nodes';
import type { Confidence, RelatedSpan, Rule, Severity } from './types';

/** What the agent may do besides answering: run any command, run some commands or edit files, or nothing. */
type ToolLevel = 'shell' | 'limited' | 'none';

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

/**
 * Per action: whether it refuses to run for people without write access unless told otherwise, and
 * what it may do when no tool input is set. `narrowedBy`: an input value that replaces the default
 * tools (the tool inputs can then only raise them again).
 *
 * Checked against the actions' sources in the public GitHub index (file@commit as the index reported it):
 * - anthropics/claude-code-action: gated: src/entrypoints/run.ts@01fbf36bba6bc8685f4adae2f698beb218ec198c calls
 *   checkWritePermissions for issue / pull request / comment events and workflow_run and fails without write access
 *   (src/github/validation/permissions.ts@0085208689431bbb354d99a595ef3687a8579f08: collaborator permission admin or
 *   write; `allowed_non_write_users` skips it, and only when `github_token` is given); inputs `allowed_non_write_users`,
 *   `allowed_bots`, `prompt`, `claude_args`, `settings` default to "" in action.yml@103450edd930c700b0f2776f5466ca0d890ba3ee
 *   (v0 inputs `allowed_tools`, `direct_prompt`, `override_prompt`, `custom_instructions`:
 *   action.yml@008284398f9706427970c06a406d9ebd6a1cecfa). Tag mode without `prompt` (src/modes/detector.ts@0478993f8ca1d5fc2e5b669bebb55316bf1ec9c7)
 *   runs with `--permission-mode acceptEdits` and `Bash(git add/commit/rm:*)` plus a git push wrapper
 *   (src/modes/tag/index.ts@09163babdc85cc88fb4a25bf78fd1b556433a68c). With `prompt` (agent mode) it adds only the
 *   tools of `claude_args` (src/modes/agent/index.ts@0edbe188537bd908a0a8a9fc46c000f9312e0136); 'limited' is kept.
 * - anthropics/claude-code-base-action: no permission check and no access input (action.yml@005f1e447474821b1349e3a009dcefe91df03f98,
 *   action.yml@8208cd1dcb43ec256c6d3ac42f343998dccabd55); it passes no allowed tools and no permission mode unless
 *   `claude_args` / `allowed_tools` set them (src/parse-sdk-options.ts@433d8156ab8f2c9ea48f770fbe8b97f9b5438006,
 *   src/run-claude.ts@03d620fb6efba6b8a805f4ad6b03213048e58524), and the headless CLI denies whatever would ask
 *   (claude-code-action src/modes/tag/index.ts@09163bab…): read-only tools only, so 'none' (was 'limited', "edits files").
 * - openai/codex-action: gated: action.yml@0006efa62261ffd5c7bb5131ff06a84cf849ed1c always runs check-write-access
 *   (src/checkActorPermissions.ts@2ab995e616515d214e6bbff0c66310822251d673: admin, maintain or write; `allow-users: '*'`
 *   opens it); `sandbox` empty means `workspace-write`; inputs `prompt`, `prompt-file`, `codex-args`, `sandbox`,
 *   `safety-strategy`, `allow-users`, `allow-bots`, `allow-bot-users` exist there. Older v1
 *   (action.yml@c25c0044c719c55ce70bd35625ff9d40c8e199bc) spelt them `prompt_file`, `codex_args`, `safety_strategy`,
 *   `allow_bots` and could skip the check with `require_repo_write: false`.
 * - google-github-actions/run-gemini-cli: no permission check (action.yml@8625910245fcc63a80f91cb677009073a5e13459);
 *   it runs `gemini --yolo` (all tool calls approved; also action.yml@0434cc5d3ee434057dab5ad830056a46906e886d), and
 *   the CLI offers every core tool, `run_shell_command` included, unless settings list `coreTools`
 *   (google-gemini/gemini-cli:docs/cli/configuration.md@175b3a1f3b3a9719b59d154baacf483b2e477c2b;
 *   docs/trust-guidance.md@27a6f892f1ddfc1a58d6effb9cb0a78554bdfc49): 'shell' (was 'limited', "reads and edits files"),
 *   'limited' when `settings` lists the core tools (`coreTools`, or `tools.core` as in
 *   examples/workflows/issue-triage/gemini-triage.yml@1d10fa108872b620fc57b682a0b136bf63faf2cc).
 * - actions/ai-inference: no permission check; `enable-github-mcp` defaults to 'false'
 *   (action.yml@6d144ac4747eb0bccee71c4746c3029357be1633).
 * - warpdotdev/warp-agent-action: no permission check, no access input (action.yml@0362b73c621875dd1d45f1ef9a4f5c0447dcd7cf,
 *   src/index.ts@25615cf7b4b369d6e7657c2b73695e5075d4722b); its README@0445aa77ed3568d78d02869ea16146c40d7d86f2 has
 *   the agent run `git` and `gh`.
 * - github/copilot-swe-agent, cursor/cursor-agent-action: not in the index; unverified.
 */
const DEFAULTS: Record<
  string,
  { gated: boolean; tools: ToolLevel; toolsWhy: string; tagMode?: boolean; narrowedBy?: { input: string; pattern: RegExp; tools: ToolLevel; toolsWhy: string } }
> = {
  // Without `prompt`, claude-code-action follows the instructions of the comment or issue that mentions it.
  'anthropics/claude-code-action': { gated: true, tools: 'limited', toolsWhy: 'by default it edits files and runs git commands', tagMode: true },
  'anthropics/claude-code-base-action': { gated: false, tools: 'none', toolsWhy: 'by default it allows no edit or shell tool, so it only reads files' },
  'openai/codex-action': { gated: true, tools: 'limited', toolsWhy: 'by default it runs commands in a workspace sandbox' },
  'google-github-actions/run-gemini-cli': {
    gated: false,
    tools: 'shell',
    toolsWhy: 'it runs `gemini --yolo`, which approves every tool, `run_shell_command` included, unless `settings` lists the core tools',
    narrowedBy: { input: 'settings', pattern: /"(coreTools|core)"\s*:/, tools: 'limited', toolsWhy: '`settings` limits its core tools' },
  },
  'actions/ai-inference': { gated: false, tools: 'none', toolsWhy: 'it only returns text' },
  'github/copilot-swe-agent': { gated: false, tools: 'shell', toolsWhy: 'it is a coding agent with a shell' },
  'warpdotdev/warp-agent-action': { gated: false, tools: 'shell', toolsWhy: 'it is a coding agent with a shell' },
  'cursor/cursor-agent-action': { gated: false, tools: 'shell', toolsWhy: 'it is a coding agent with a shell' },
};

const OUTSIDER_TRIGGERS_NOTE = 'issues, comments, pull requests, reviews and discussions';

function withValue(step: StepView, name: string): { text: string; entry: Entry } | null {
  const entry = step.with.entries.find((candidate) => candidate.key.toLowerCase() === name.toLowerCase());
  if (!entry) return null;
  const text = scalarText(entry.value);
  return text === null ? null : { text, entry };
}

/** Reads the tool and access settings of an agent step. */
function agentFacts(step: StepView, agent: AgentAction, repository: string, file: ParsedFile, job: JobView | null): AgentFacts {
  const defaults = DEFAULTS[agent.action] ?? { gated: false, tools: 'limited' as ToolLevel, toolsWhy: 'it is an agent' };
  let tools = defaults.tools;
  let toolsWhy = defaults.toolsWhy;
  const narrowing = 'narrowedBy' in defaults ? defaults.narrowedBy : undefined;
  if (narrowing && narrowing.pattern.test(withValue(step, narrowing.input)?.text ?? '')) {
    tools = narrowing.tools;
    toolsWhy = narrowing.toolsWhy;
  }
  let toolsSpan: Span | null = null;
  const raise = (level: ToolLevel, why: string, span: Span) => {
    const rank = { none: 0, limited: 1, shell: 2 };
    if (rank[level] > rank[tools] || (toolsSpan === null && rank[level] === rank[tools] && level !== 'none')) {
      tools = level;
      toolsWhy = why;
      toolsSpan = span;
    }
  };
  for (const name of agent.toolInputs) {
    const value = withValue(step, name);
    if (!value) continue;
    const text = value.text;
    const span = value.entry.valueSpan;
    const input = `\`${value.entry.key}\``;
    if (/--dangerously-skip-permissions|bypassPermissions|--dangerously-bypass-approvals-and-sandbox|--yolo\b|"yolo"\s*:\s*true/i.test(text)) raise('shell', `${input} turns off permission checks`, span);
    else if (/danger-full-access/i.test(text)) raise('shell', `${input} is \`danger-full-access\``, span);
    else if ((name === 'safety-strategy' || name === 'safety_strategy') && /^\s*unsafe\s*$/i.test(text)) raise('shell', `\`${value.entry.key}: unsafe\``, span);
    else if (/\bBash\b(?!\s*\()|\bBash\(\s*\*?\s*\)|\brun_shell_command\b(?!\s*\()|"ShellTool"/.test(text)) raise('shell', `${input} allows any shell command (\`Bash\`)`, span);
    else if (/\bBash\s*\(|\brun_shell_command\s*\(/.test(text)) raise('limited', `${input} allows some shell commands`, span);
    else if (/\b(Write|Edit|MultiEdit)\b|\bacceptEdits\b|workspace-write|enable-github-mcp|^\s*true\s*$/.test(text)) raise('limited', `${input} allows tools`, span);
  }

  let open = false;
  let openWhy = '';
  let openSpan: Span | null = null;
  for (const name of agent.openAccessInputs) {
    const value = withValue(step, name);
    if (!value) continue;
    const text = value.text.trim();
    const bots = /bot/i.test(name);
    if (name === 'require_repo_write') {
      // codex-action v1: `false` skips the check of the actor's write access.
      if (/^false$/i.test(text)) {
        open = true;
        openWhy = `\`${value.entry.key}: ${text}\` lets anyone trigger it`;
        openSpan = value.entry.valueSpan;
      }
    } else if (!bots && /^(\*|all|everyone)$/i.test(text)) {
      open = true;
      openWhy = `\`${value.entry.key}: '${text}'\` lets anyone trigger it`;
      openSpan = value.entry.valueSpan;
    } else if (bots && /^(\*|true)$/i.test(text) && !open) {
      openWhy = `\`${value.entry.key}: ${text}\` lets any bot trigger it`;
      openSpan = value.entry.valueSpan;
    }
  }
  if (!defaults.gated && !open && !guardedByCondition(step, job)) {
    const triggers = scopeTriggers(file);
    if (triggers && triggers.some((trigger) => triggerInfo(trigger)?.outsiderCanFire)) {
      open = true;
      openWhy = `${repository} does not check the permissions of whoever triggers it, and no \`if:\` does`;
    }
  }
  return { agent, repository, tools, toolsWhy, toolsSpan, open, openWhy, openSpan };
}

/** True when the job's or step's `if:` looks at who caused the event (association, login, a label set by a writer). */
function guardedByCondition(step: StepView, job: JobView | null): boolean {
  const texts = [scalarText(step.if?.value ?? null), scalarText(job?.if?.value ?? null)];
  return texts.some((text) => text !== null && /author_association|\.actor\b|triggering_actor|sender\.login|user\.login|\.labels?\b|label\.name/i.test(text));
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
  else parts.push(`${facts.repository} only returns text, so an attacker steers its output`);
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
  docs: {
    summary: 'Text that outsiders write (issue or pull request titles and bodies, comments, reviews, discussions, branch names) reaches the prompt of an AI agent action such as `anthropics/claude-code-action`, `openai/codex-action` or `google-github-actions/run-gemini-cli`.',
    why: 'A model cannot tell the workflow author\'s instructions from instructions hidden in the text it is given. In Cline (2026), an `issues` workflow passed the issue title to `claude-code-action`, open to non-writers and allowed to run `Bash`; an issue title told the agent to run commands, which poisoned a cache used by the nightly publish and shipped a malicious `cline` release.',
    fix: 'Do not put outsider text in the prompt: have the agent read it through a read-only tool, keep the agent to read-only tools (no `Bash`, no `danger-full-access`), keep the default write-access check (no `allowed_non_write_users: \'*\'`), and give the job `permissions:` no wider than the agent needs, with no secrets other than the model key.',
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
          if (agent) facts = agentFacts(step, agent, reference.repository, file, job);
        }
      }
      factsCache.set(step, facts);
      return facts;
    };

    // 1. Expressions in prompt inputs.
    const base = file.workflow ? 4 : 3;
    for (const site of file.expressions) {
      const path = site.path;
      if (path.length !== base + 2 || path[base] !== 'with' || typeof path[base + 1] !== 'string') continue;
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
        message: `\`${leaf.path}\` is written into \`${input}\` of ${facts.repository}, the agent's instructions: ${verdict.reason}. Whoever writes it can steer the agent (${aggravation(facts)})`,
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
        const prompts = facts.agent.promptInputs.filter((name) => name !== 'claude_args' && name !== 'codex-args' && name !== 'codex_args').map((name) => withValue(step, name)).filter((value) => value !== null);
        const promptFile = withValue(step, 'prompt-file') ?? withValue(step, 'prompt_file');
        const usesSpan = step.uses.valueSpan;
        const tagMode = DEFAULTS[facts.agent.action]?.tagMode ?? false;
        const triggerText = outsiderTriggers.map((t) => `\`${t}\``).join(', ');
        if (prompts.length === 0 && !promptFile && facts.open && tagMode && facts.openSpan) {
          report({
            span: facts.openSpan,
            message: `${facts.repository} takes its instructions from the triggering comment, issue or pull request, and ${facts.openWhy} (${triggerText}): anyone can instruct the agent (${facts.tools !== 'none' ? facts.toolsWhy : 'no tools'})`,
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
          message: `${facts.repository} runs under ${triggerText} with ${reading === promptFile ? 'a prompt file assembled by the job' : 'a prompt about the event'}: text an outsider writes in ${OUTSIDER_TRIGGERS_NOTE} may reach the model (${aggravation(facts)}); check that the agent's tools and token cannot do harm`,
          severity: 'medium',
          confidence: 'low',
          persona: 'auditor',
          related: [{ span: reading.entry.valueSpan, message: 'The prompt' }, ...related(facts)],
        });
      }
    }
  },
};
