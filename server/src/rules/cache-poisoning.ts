import { setStepInput } from '../fixes/step-inputs';
import { cacheAction, cacheEnabled } from '../knowledge/cache-actions';
import { actionMajorVersion, hasIdTokenWrite, input, privilegedTriggers, stepAction, visibleEnv } from '../knowledge/job-facts';
import { untrustedCheckouts } from '../knowledge/pr-checkout';
import { publishCommand, publisherAction } from '../knowledge/publishers';
import { runScriptsOf, type ShellCommand } from '../knowledge/shell';
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import type { JobView, WorkflowView } from '../parse/views';
import { scalarText } from '../parse/yaml-nodes';
import { contextPath, findExpressions } from '../parse/expressions';
import type { Rule } from './types';
import type { Fix, RelatedSpan } from '../findings';

interface PublishSignal {
  strong: boolean;
  what: string;
  span: Span;
  /**
   * `workflow`: every run is a release (`release` trigger, a push of tags only); `tags`: the tag part of a push
   * that also runs for branches; `job`: what the job itself does (publisher action, publish command, OIDC).
   */
  scope: 'workflow' | 'tags' | 'job';
}

/**
 * Why a job counts as publishing: release/tag triggers, publisher actions, publish commands (release assets
 * included), OIDC. A push to a branch, even a release branch, is not publishing by itself: a job on it counts
 * only through what it does.
 */
export function publishSignals(file: ParsedFile, workflow: WorkflowView, job: JobView): PublishSignal[] {
  const signals: PublishSignal[] = [];
  for (const trigger of workflow.triggers) {
    if (trigger.name === 'release') signals.push({ strong: true, what: 'the `release` trigger', span: trigger.span, scope: 'workflow' });
    if (trigger.name === 'push' && trigger.config) {
      const tags = trigger.config.get('tags');
      if (!tags) continue;
      const onlyTags = !trigger.config.has('branches') && !trigger.config.has('branches-ignore') && !trigger.config.has('paths');
      signals.push({ strong: true, what: 'a tag push', span: tags.keySpan, scope: onlyTags ? 'workflow' : 'tags' });
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
      signals.push({ strong: publisher.registry !== 'pages', what: `\`${action.name}\``, span: action.site.entry.valueSpan, scope: 'job' });
    }
  }
  for (const run of runScriptsOf(file, job)) {
    for (const command of run.script.commands) {
      const publish = publishCommand(command);
      // `gh release create TAG` with no files makes a release page only; with files (or `gh release upload`) it uploads assets.
      if (publish && (publish.label !== 'gh release create' || releaseAssets(command))) {
        signals.push({ strong: true, what: `\`${publish.label}\``, span: run.sourceSpan(command.span), scope: 'job' });
      }
    }
  }
  if (hasIdTokenWrite(workflow, job)) {
    const entry = job.permissions ?? workflow.permissions;
    // In a workflow run for tags or releases, OIDC is how the job publishes (trusted publishing); elsewhere the job
    // may only fetch cloud or broker credentials.
    const released = signals.some((signal) => signal.scope !== 'job');
    signals.push({ strong: released, what: '`id-token: write`', span: entry ? entry.keySpan : job.idSpan, scope: 'job' });
  }
  return signals;
}

/** `gh release create` flags that take the next word. */
const GH_RELEASE_VALUE_FLAGS = new Set([
  '-t',
  '--title',
  '-n',
  '--notes',
  '-F',
  '--notes-file',
  '--target',
  '-R',
  '--repo',
  '--discussion-category',
  '--notes-start-tag',
]);

/** True when `gh release create` names files to upload after the tag. */
function releaseAssets(command: ShellCommand): boolean {
  const words = command.argv.slice(3);
  let positional = 0;
  for (let i = 0; i < words.length; i++) {
    const text = words[i].text;
    if (GH_RELEASE_VALUE_FLAGS.has(text)) i++;
    else if (!text.startsWith('-')) positional++;
  }
  return positional > 1;
}

/** Commands that move, list or check files without running anything a cache could have supplied. */
const INERT = new Set([
  '',
  'ls',
  'echo',
  'printf',
  'mkdir',
  'cp',
  'mv',
  'rm',
  'cat',
  'find',
  'tree',
  'cd',
  'test',
  '[',
  'true',
  'pwd',
  'sha256sum',
  'sha512sum',
  'shasum',
  'tar',
  'unzip',
  'zip',
  'du',
  'set',
  'export',
]);
/** Publish commands that upload files as they are (no build, no package scripts). */
const UPLOADS = new Set([
  'uv publish',
  'twine upload',
  'maturin upload',
  'gem push',
  'nuget push',
  'dotnet nuget push',
  'gh release create',
  'gh release upload',
]);
/** Actions that upload, fetch or attest files as they are. */
const FILE_ACTIONS = new Set([
  'actions/checkout',
  'actions/download-artifact',
  'actions/upload-artifact',
  'actions/attest-build-provenance',
  'actions/attest',
  'sigstore/gh-action-sigstore-python',
  'pypa/gh-action-pypi-publish',
  'softprops/action-gh-release',
  'ncipollo/release-action',
  'svenstaro/upload-release-action',
]);

/**
 * True when the job publishes only files it downloaded (`actions/download-artifact`, then `uv publish dist/*`):
 * nothing in it builds, installs or runs what a cache restores, so a poisoned entry cannot reach what is published.
 */
function publishesDownloadsOnly(file: ParsedFile, job: JobView): boolean {
  let downloads = false;
  for (const step of job.steps) {
    if (step.run) continue;
    const name = stepAction(file, step)?.name;
    if (!name) return false;
    if (name === 'actions/download-artifact') downloads = true;
    else if (!FILE_ACTIONS.has(name) && !cacheAction(name)) return false;
  }
  if (!downloads) return false;
  return runScriptsOf(file, job).every((run) =>
    run.script.commands.every((command) => INERT.has(command.name) || UPLOADS.has(publishCommand(command)?.label ?? '')),
  );
}

/** Whether a cache toggle expression is on for a tag push: `startsWith(github.ref, 'refs/tags/')` → true, negated → false. */
function onForTags(value: string | null): boolean | null {
  if (value === null) return null;
  const occurrences = findExpressions(value);
  if (occurrences.length !== 1 || value.slice(0, occurrences[0].start).trim() || value.slice(occurrences[0].end).trim()) return null;
  let node = occurrences[0].parsed.ast;
  let negated = false;
  while (node && (node.type === 'group' || node.type === 'unary')) {
    if (node.type === 'unary') negated = !negated;
    node = node.type === 'group' ? node.expr : node.operand;
  }
  if (!node) return null;
  let tags = false;
  if (node.type === 'call' && node.name.toLowerCase() === 'startswith' && node.args.length === 2) {
    const literal = node.args[1];
    tags =
      contextPath(node.args[0], { caseInsensitive: true }) === 'github.ref' &&
      literal.type === 'literal' &&
      String(literal.value).startsWith('refs/tags');
  } else if (node.type === 'binary' && (node.op === '==' || node.op === '!=')) {
    for (const [a, b] of [
      [node.left, node.right],
      [node.right, node.left],
    ]) {
      if (contextPath(a, { caseInsensitive: true }) === 'github.ref_type' && b.type === 'literal' && b.value === 'tag') {
        tags = true;
        if (node.op === '!=') negated = !negated;
      }
    }
  }
  return tags ? !negated : null;
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
      // Tag pushes of a trigger that also runs for branches make a release only of jobs that publish something.
      const releases = signals.some((signal) => signal.scope === 'workflow' || (signal.scope === 'job' && signal.strong));
      const tagPart = signals.some((signal) => signal.scope === 'tags');
      const downloadsOnly = signals.length > 0 && publishesDownloadsOnly(file, job);
      for (const step of job.steps) {
        const action = stepAction(file, step);
        const known = action && cacheAction(action.name);
        if (!action || !known) continue;
        if (known.requires && !input(step, known.requires)?.trim()) continue;
        const env = visibleEnv(file, job, step);
        if ((env.get('ACTIONS_CACHE_MODE') ?? '').trim().toLowerCase() === 'none') continue;
        const guard = scalarText(step.if?.value ?? null) ?? '';
        if (GUARD.test(guard)) continue;
        const major = actionMajorVersion(file, action);
        const value = known.input ? input(step, known.input) : null;
        let enabled = cacheEnabled(known, value, major);
        if (enabled === false) continue;
        // setup-node v5+: `package-manager-cache: false` turns the automatic cache off.
        if (known.autoInput && value === null && major !== null && major >= known.autoInput.since) {
          const auto = input(step, known.autoInput.input);
          if (auto !== null && /^false$/i.test(auto.trim())) continue;
        }
        // Conditional defaults other than setup-node's (setup-pixi) depend on files we cannot see: only explicit settings count.
        if (enabled === 'conditional' && value === null && !known.autoInput) continue;
        // A toggle such as `${{ startsWith(github.ref, 'refs/tags/') }}` is on exactly for the tag pushes.
        const tagToggle = enabled === 'unknown' ? onForTags(value) : null;
        const forTags = tagToggle === null ? null : known.semantics === 'inverted' ? !tagToggle : tagToggle;
        if (forTags === true) enabled = true;
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
        // `lookup-only: true` checks that an entry exists without downloading it.
        if (
          (action.name === 'actions/cache' || action.name === 'actions/cache/restore') &&
          /^true$/i.test(input(step, 'lookup-only')?.trim() ?? '')
        )
          continue;
        if (downloadsOnly) continue;
        // Only the tag part of a branch-and-tag push: reported when caching is on exactly for the tags.
        if (!releases && !(tagPart && forTags === true) && !signals.some((signal) => signal.scope === 'job')) continue;
        if (!releases && tagPart && forTags === false) continue;
        const what = signals
          .filter((signal) => releases || forTags !== true || signal.scope === 'tags')
          .map((signal) => signal.what)
          .slice(0, 2)
          .join(', ');
        const how =
          forTags === true
            ? `restores a cache on tag pushes (\`${value?.trim()}\`)`
            : enabled === true
              ? 'restores a cache'
              : enabled === 'conditional'
                ? known.autoInput
                  ? `may restore a cache (v${major} caches automatically when package.json ${major !== null && major >= 6 ? 'names npm as its package manager' : 'has a `packageManager` field'}; \`${known.autoInput.input}: false\` turns it off)`
                  : 'may restore a cache (on by default when a lock file is found)'
                : 'may restore a cache (caching is set by an expression)';
        const jobStrong = signals.some((signal) => signal.strong && signal.scope !== 'tags');
        report({
          span,
          message: `\`${action.name}\` ${how} in job \`${job.id}\`, which publishes (${what}): a poisoned cache entry ends up in the release`,
          confidence: (releases && enabled === true) || forTags === true ? 'medium' : 'low',
          persona: forTags === true ? 'regular' : enabled === 'unknown' || !jobStrong ? 'pedantic' : 'regular',
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
