/**
 * openai/codex-action: how `permission-profile`, `safety-strategy`, `sandbox` and the access inputs (`allow-users`,
 * `allow-bots`, `allow-bot-users`, v1's `allow_bots` and `require_repo_write`) change what Codex may do and who may
 * trigger it. The action checks the actor's write access unless told otherwise; its sandbox decides whether the
 * commands Codex runs may write files or reach the network. The files read for each of these facts are listed in
 * docs/rules/ai-agent-injection.md ("Sources").
 */
import { trimEndOf } from '../../parse/strings';
import type { Span } from '../../parse/text';
import type { StepView } from '../../parse/views';
import { genericEffect, namedUsersWhy, quoteList, readingOf, withValue, type AccessEffect, type ToolReading } from './readings';

export const CODEX_ACTION = 'openai/codex-action';

/** codex-action `permission-profile`: a built-in profile (`:read-only`, `:workspace`, `:danger-full-access`) or a named one. */
function readCodexProfile(key: string, text: string, span: Span, home: string | null): ToolReading {
  const profile = text.trim();
  if (profile === '' || profile.includes('${{')) return { effects: [] };
  const shown = `\`${key}: '${profile}'\``;
  if (profile === ':read-only')
    return {
      base: { level: 'none', why: `${shown} lets the commands it runs read files but not write them or reach the network`, span },
      effects: [],
    };
  if (profile === ':workspace')
    return { effects: [{ level: 'limited', why: `${shown} lets the commands it runs write inside the workspace`, span }] };
  if (profile === ':danger-full-access' || profile === ':danger-no-sandbox')
    return { effects: [{ level: 'shell', why: `${shown} runs its commands without a sandbox`, span }] };
  const where =
    home && home.trim() !== '' && !home.includes('${{')
      ? `\`${trimEndOf(home.trim(), '/')}/config.toml\` (\`codex-home\`)`
      : "the Codex home's `config.toml`";
  return {
    effects: [
      {
        level: 'limited',
        why: `${shown} is a profile defined in ${where}, which this check cannot read: it decides what the commands may do`,
        span,
      },
    ],
  };
}

const CODEX_READ_ONLY_STRATEGY: Record<string, string> = { 'safety-strategy': 'read-only', safety_strategy: 'read_only' };

/** True when the step sets codex-action's read-only safety strategy, spelt as its input's release accepts it (another spelling fails the run). */
function codexReadOnlyStrategy(step: StepView): boolean {
  return Object.entries(CODEX_READ_ONLY_STRATEGY).some(([name, value]) => withValue(step, name)?.text.trim() === value);
}

/** codex-action `safety-strategy` / `safety_strategy`: `read-only` (`read_only`) forces a read-only sandbox; `unsafe` is a shell. */
function readCodexSafety(name: string, key: string, text: string, span: Span): ToolReading {
  if (text.trim() === CODEX_READ_ONLY_STRATEGY[name]) {
    const why = `\`${key}: ${text.trim()}\` runs Codex in a read-only sandbox whatever \`sandbox\` says: its commands read files but cannot write them or reach the network (the action warns that Codex keeps the runner's sudo and could print \`openai-api-key\`)`;
    return { base: { level: 'none', why, span }, effects: [] };
  }
  return readingOf(genericEffect(name, key, text, span));
}

/** codex-action `sandbox`: the mode Codex runs its commands in, unless the read-only safety strategy replaces it. */
function readCodexSandbox(step: StepView, key: string, text: string, span: Span): ToolReading {
  if (codexReadOnlyStrategy(step)) return { effects: [] };
  const mode = text.trim();
  const shown = `\`${key}: ${mode}\``;
  if (mode === 'read-only')
    return {
      base: { level: 'none', why: `${shown} lets the commands it runs read files but not write them or reach the network`, span },
      effects: [],
    };
  if (mode === 'workspace-write')
    return { effects: [{ level: 'limited', why: `${shown} lets the commands it runs write inside the workspace`, span }] };
  if (mode === 'danger-full-access') return { effects: [{ level: 'shell', why: `${shown} runs its commands without a sandbox`, span }] };
  return readingOf(genericEffect('sandbox', key, text, span));
}
/** A tool input of codex-action read by its own rules; null for the others (`codex-args`). */
export function readCodexToolInput(step: StepView, name: string, key: string, text: string, span: Span): ToolReading | null {
  if (name === 'permission-profile') return readCodexProfile(key, text, span, withValue(step, 'codex-home')?.text ?? null);
  if (name === 'safety-strategy' || name === 'safety_strategy') return readCodexSafety(name, key, text, span);
  if (name === 'sandbox') return readCodexSandbox(step, key, text, span);
  return null;
}

/** codex-action: who `allow-bots` / `allow_bots: true` lets past the write-access check, by release. */
function codexBotsWhy(name: string, key: string, text: string, ref: string | null): string {
  const minor = /^v?1\.(\d+)(?:\.\d+)*$/.exec(ref ?? '')?.[1];
  const anyBot = 'lets any account whose login ends in `[bot]` (GitHub Apps, Dependabot) skip the write-access check';
  if (name === 'allow_bots') return `\`${key}: ${text}\` ${anyBot}`;
  if (minor !== undefined && Number(minor) < 7) return `\`${key}: ${text}\` ${anyBot} (openai/codex-action before v1.7)`;
  return `\`${key}: ${text}\` lets only \`github-actions[bot]\` (events made by this repository's own workflows) skip the write-access check; other bots still need write access (releases before v1.7 let any \`[bot]\` account through)`;
}

/** The codex-action access inputs read by their own rules. */
export const CODEX_ACCESS_INPUTS: ReadonlySet<string> = new Set([
  'require_repo_write',
  'allow-users',
  'allow-bots',
  'allow_bots',
  'allow-bot-users',
]);

/** What a codex-action access input allows (`text` trimmed); null when it changes nothing. */
export function readCodexAccess(name: string, key: string, text: string, span: Span, ref: string | null): AccessEffect | null {
  if (name === 'require_repo_write') {
    // v1: `false` skips the check of the actor's write access.
    return /^false$/i.test(text) ? { open: true, why: `\`${key}: ${text}\` lets anyone trigger it`, span } : null;
  }
  if (name === 'allow-users') {
    if (text === '*') return { open: true, why: `\`${key}: '*'\` lets anyone trigger it`, span };
    if (text !== '' && !text.includes('${{')) return { open: false, why: namedUsersWhy(`\`${key}: ${text}\``, text), span };
    return null;
  }
  if (name === 'allow-bots' || name === 'allow_bots') {
    return /^(true|1|yes|y)$/i.test(text) ? { open: false, why: codexBotsWhy(name, key, text, ref), span } : null;
  }
  if (name === 'allow-bot-users' && text !== '') {
    const bots = text
      .split(',')
      .map((bot) => bot.trim())
      .filter((bot) => bot !== '');
    const why = text.includes('*')
      ? `\`${key}: '${text}'\` is refused by the action: its write-access check then rejects every run`
      : `\`${key}: ${text}\` lets the bots ${quoteList(bots)} skip the write-access check`;
    return { open: false, why, span };
  }
  return null;
}
