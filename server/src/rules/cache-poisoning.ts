import { setStepInput } from '../fixes/step-inputs';
import { cacheAction, cacheEnabled } from '../knowledge/cache-actions';
import { actionMajorVersion, hasIdTokenWrite, input, privilegedTriggers, stepAction, visibleEnv } from '../knowledge/job-facts';
import { untrustedCheckouts } from '../knowledge/pr-checkout';
import { publishCommand, publisherAction } from '../knowledge/publishers';
import { runScriptsOf } from '../knowledge/shell';
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import type { JobView, WorkflowView } from '../parse/views';
import { scalarText, seqItems, asSeq } from '../parse/yaml-nodes';
import type { Rule } from './types';
import type { Fix, RelatedSpan } from '../findings';

interface PublishSignal {
  strong: boolean;
  what: string;
  span: Span;
}

/** Why a job counts as publishing: release/tag triggers, publisher actions, publish commands, OIDC. */
export function publishSignals(file: ParsedFile, workflow: WorkflowView, job: JobView): PublishSignal[] {
  const signals: PublishSignal[] = [];
  for (const trigger of workflow.triggers) {
    if (trigger.name === 'release') signals.push({ strong: true, what: 'the `release` trigger', span: trigger.span });
    if (trigger.name === 'push' && trigger.config) {
      const tags = trigger.config.get('tags');
      const branches = seqItems(asSeq(trigger.config.get('branches')?.value ?? null), workflow.doc).map((node) => scalarText(node) ?? '');
      const onlyTags = tags && !trigger.config.has('branches') && !trigger.config.has('paths');
      if (onlyTags) signals.push({ strong: true, what: 'a tag push', span: tags.keySpan });
      else if (branches.some((branch) => /release/i.test(branch)))
        signals.push({ strong: true, what: 'a push to a release branch', span: trigger.span });
    }
  }
  for (const step of job.steps) {
    const action = stepAction(file, step);
    const publisher = action && publisherAction(action.name);
    if (publisher && action) {
      if (publisher.when) {
        const value = input(step, publisher.when);
        if (value === null || /^(false|)$/i.test(value.trim())) continue;
      }
      signals.push({ strong: publisher.registry !== 'pages', what: `\`${action.name}\``, span: action.site.entry.valueSpan });
    }
  }
  for (const run of runScriptsOf(file, job)) {
    for (const command of run.script.commands) {
      const publish = publishCommand(command);
      if (publish && publish.registry !== 'github-release')
        signals.push({ strong: true, what: `\`${publish.label}\``, span: run.sourceSpan(command.span) });
    }
  }
  if (hasIdTokenWrite(workflow, job)) {
    const entry = job.permissions ?? workflow.permissions;
    signals.push({ strong: false, what: '`id-token: write`', span: entry ? entry.keySpan : job.idSpan });
  }
  return signals;
}

const GUARD = /!\s*startsWith\(\s*github\.ref\s*,\s*'refs\/tags\/'\s*\)|github\.event_name\s*!=\s*'release'/;

export const cachePoisoning: Rule = {
  id: 'cache-poisoning',
  title: 'Cache restored in a publishing job, or written by an untrusted run',
  kinds: ['workflow'],
  severity: 'high',
  confidence: 'low',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A job that publishes (release or tag trigger, publisher action, publish command, `id-token: write`) restores a GitHub Actions cache, or a privileged-trigger job building pull request code writes one.',
    why: "Caches are shared across a repository's runs: whoever can write an entry that the release job restores controls what gets built. In Ultralytics (2024) a poisoned cache went into the PyPI releases 8.3.41/42; in TanStack (2026, CVE-2026-45321) a `pull_request_target` build wrote the cache the release job restored, and 84 npm versions shipped with valid provenance. Cline (2026) was poisoned the same way through its nightly publish.",
    fix: "Turn caching off in release and publish jobs (`enable-cache: false` for setup-uv, `cache: false` for setup-go, no `cache:` / `package-manager-cache: false` for setup-node, `ACTIONS_CACHE_MODE: none` in the job's `env:` for actions built on `@actions/cache` ≥ 6.2.0), and never build pull request code in a `pull_request_target` job.",
  },
  check({ file, report }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const privileged = privilegedTriggers(workflow);
    for (const job of workflow.jobs) {
      // Only jobs that use a caching action can be reported: look for one before the publish signals.
      if (!job.steps.some((step) => cacheAction(stepAction(file, step)?.name ?? ''))) continue;
      const signals = publishSignals(file, workflow, job);
      const untrusted = privileged.length > 0 ? untrustedCheckouts(file, workflow, job) : [];
      if (signals.length === 0 && untrusted.length === 0) continue;
      const strong = signals.some((signal) => signal.strong);
      for (const step of job.steps) {
        const action = stepAction(file, step);
        const known = action && cacheAction(action.name);
        if (!action || !known) continue;
        const env = visibleEnv(file, job, step);
        if ((env.get('ACTIONS_CACHE_MODE') ?? '').trim().toLowerCase() === 'none') continue;
        const guard = scalarText(step.if?.value ?? null) ?? '';
        if (GUARD.test(guard)) continue;
        const major = actionMajorVersion(file, action);
        const value = known.input ? input(step, known.input) : null;
        const enabled = cacheEnabled(known, value, major);
        if (enabled === false) continue;
        // Conditional defaults (setup-node v5+, setup-pixi) depend on files we cannot see: only explicit settings count.
        if (enabled === 'conditional' && value === null) continue;
        const control = known.input ? step.with.get(known.input) : undefined;
        const span = control ? control.keySpan : action.site.entry.valueSpan;
        const fixes = offFix(file, step, known, value, enabled);
        const related: RelatedSpan[] = signals.slice(0, 3).map((signal) => ({ span: signal.span, message: `publishes: ${signal.what}` }));
        if (untrusted.length > 0 && known.mode !== 'restore') {
          report({
            span,
            message: `\`${action.name}\` writes the cache of the base branch from a \`${privileged[0]}\` job that builds pull request code: the next job restoring that cache (a release, too) runs what the pull request put in it`,
            severity: 'high',
            confidence: 'medium',
            related: [{ span: untrusted[0].span, message: 'checks out pull request code' }, ...related],
            fixes,
          });
          continue;
        }
        if (signals.length === 0 || known.mode === 'save') continue;
        const how =
          enabled === true
            ? 'restores a cache'
            : enabled === 'conditional'
              ? 'may restore a cache (on by default when a lock file is found)'
              : 'may restore a cache (caching is set by an expression)';
        report({
          span,
          message: `\`${action.name}\` ${how} in job \`${job.id}\`, which publishes (${signals
            .map((signal) => signal.what)
            .slice(0, 2)
            .join(', ')}): a poisoned cache entry ends up in the release`,
          confidence: strong && enabled === true ? 'medium' : 'low',
          persona: enabled === 'unknown' || !strong ? 'pedantic' : 'regular',
          related,
          fixes,
        });
      }
    }
  },
};

function offFix(
  file: ParsedFile,
  step: Parameters<typeof setStepInput>[1],
  known: NonNullable<ReturnType<typeof cacheAction>>,
  value: string | null,
  enabled: boolean | 'conditional' | 'unknown',
): Fix[] {
  if (!known.off || !known.input) return [];
  let edits = null;
  if ('set' in known.off) edits = setStepInput(file, step, known.input, known.off.set);
  else if (value !== null) edits = setStepInput(file, step, known.input, "''");
  else if (known.off.orSet && enabled === 'conditional') edits = setStepInput(file, step, known.off.orSet.input, known.off.orSet.value);
  if (!edits) return [];
  const label = edits.length === 1 && edits[0].newText.includes("''") ? `\`${known.input}: ''\`` : 'caching off';
  return [{ title: `Turn the cache off (${label})`, isPreferred: true, safety: 'unsafe', edits }];
}
