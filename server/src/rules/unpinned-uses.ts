import { planPin, trailingComment } from '../fixes/pin';
import { coverageOf, onboardedWorkflow, lockEntry } from '../lockfile/coverage';
import { pinKeyOf } from '../lockfile/read';
import type { ParsedFile, UsesSite } from '../parse/document';
import type { RemoteUses } from '../parse/uses';
import { pinAllowed } from '../config/pin-policy';
import { usesTarget } from '../parse/uses';
import { refOrValueSpan } from './support/resolved-uses';
import type { Rule } from './types';
import type { Fix, OffsetEdit } from '../findings';
import { tagForCommit } from '../resolve/lock-entry';
import { refsFor, type OnlineSnapshot } from '../resolve/snapshot';
import { viewValue, type LockView, type View } from '../views';

/** The pinning style of `pinning.style`: `lockfile` when configured, or `auto` in a repository with an actions.lock. */
export function pinningStyle(config: Readonly<Record<string, unknown>>, lock: View<LockView>): 'sha' | 'lockfile' {
  const style = config.style;
  if (style === 'sha' || style === 'lockfile') return style;
  return lock.available ? 'lockfile' : 'sha';
}

export const unpinnedUses: Rule = {
  id: 'unpinned-uses',
  title: 'Action or reusable workflow not pinned to a commit SHA',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['online', 'lock'],
  docs: {
    summary:
      'A remote `uses:` names a tag or branch, which its owner (or an attacker who takes over the repository) can move to other code at any time.',
    why: "In March 2025 every tag of `tj-actions/changed-files` (CVE-2025-30066) was moved to a commit that dumped the runner's memory into the build log, exposing the secrets of thousands of repositories; it came in through `reviewdog/action-setup@v1`, whose tag had been moved too (CVE-2025-30154). In 2026 the tags of `aquasecurity/trivy-action` were force-pushed the same way. Only a full commit SHA is immutable.",
    fix: 'Pin to the full 40-character commit SHA and keep the version in a comment, e.g. `uses: actions/checkout@<sha> # v4.2.2`, so updaters such as Dependabot and Renovate keep it current.',
  },
  check({ file, config, online, lock, report }) {
    // Pin fixes need resolved tags: present only with the online view.
    const snapshot = viewValue(online);
    const lockView = viewValue(lock);
    // In a workflow the lock lists, the lock pins every ref written out: unlocked-uses and lockfile-drift
    // report the ones it does not cover.
    const onboarded = lockView && onboardedWorkflow(lockView.lock, lockView.workflowPath) ? lockView : null;
    // In lockfile style the SHA rewrite is offered but not preferred: fix-all and --fix=safe leave `uses:` as is.
    const preferSha = pinningStyle(config, lock) === 'sha';
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote') continue;
      const target = usesTarget(reference);
      const what = reference.isReusableWorkflow ? 'reusable workflow' : 'action';
      if (onboarded && coverageOf(onboarded.lock, reference) !== null) {
        if (reference.refKind === 'sha') reportBareSha(file, site, reference, onboarded, snapshot, report);
        continue;
      }
      if (reference.refKind === 'sha') continue;
      if (pinAllowed(config, reference)) continue; // A configured policy (e.g. ref-pins for `actions/*`).
      const plan = snapshot && reference.refKind !== 'expression' ? planPin(file, site, snapshot) : null;
      const fixes: Fix[] = plan?.ok ? [preferSha ? plan.fix : { ...plan.fix, isPreferred: false }] : [];
      const span = refOrValueSpan(site, reference);
      if (reference.ref === null || reference.ref === '') {
        report({
          span: site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan,
          message: `\`${target}\` has no ref: name a full commit SHA, e.g. \`${target}@<40-hex sha> # vX.Y.Z\``,
        });
        continue;
      }
      switch (reference.refKind) {
        case 'short-sha':
          report({
            span,
            message: `\`${target}@${reference.ref}\` uses an abbreviated SHA, which is not a pin: an attacker can push a colliding commit. Use the full 40-character SHA`,
            fixes,
          });
          break;
        case 'expression':
          report({ span, message: `${what} \`${target}\` takes its ref from an expression, which cannot be pinned`, confidence: 'medium' });
          break;
        case 'branch-like':
          report({
            span,
            message: `${what} \`${target}\` is pinned to \`${reference.ref}\`, a branch or tag that can move to other code: pin it to a full commit SHA`,
            fixes,
          });
          break;
        default:
          report({
            span,
            message: `${what} \`${target}\` is pinned to tag \`${reference.ref}\`, which can be moved to other code: pin it to a full commit SHA`,
            fixes,
          });
      }
    }
  },
};

/**
 * The edits writing `tag` in place of the bare SHA of `site`: the ref only, every other byte kept, and the
 * trailing version comment dropped when it names that same tag and nothing else follows it (other comment
 * text stays). Null when the value is not written plainly enough to edit exactly.
 */
export function shaToTagEdits(file: ParsedFile, site: UsesSite, uses: RemoteUses, tag: string): OffsetEdit[] | null {
  if (!site.exact || uses.ref === null) return null;
  const span = refOrValueSpan(site, uses);
  const comment = trailingComment(file, site, uses.ref);
  if (
    comment &&
    comment !== 'blocked' &&
    comment.version?.text === tag &&
    file.text.slice(comment.version.span.end, comment.end).trim() === ''
  ) {
    // The comment goes with the SHA it described: from the space before `#` to the end of the version.
    let start = comment.hash;
    while (start > 0 && (file.text[start - 1] === ' ' || file.text[start - 1] === '\t')) start--;
    return [
      { span, newText: tag },
      { span: { start, end: comment.end }, newText: '' },
    ];
  }
  return [{ span, newText: tag }];
}

/**
 * A full SHA in `uses:` of an onboarded workflow: pinned, but the readable version is lost. Offline, the
 * fix writes the version of the comment instead when the lock already holds that version at the same
 * commit. Online, the message names the tag that points at the commit (the editor's "Write … and lock it"
 * writes it and its lock entry in one edit, features/lock-actions.ts), or says that no tag does.
 */
function reportBareSha(
  file: ParsedFile,
  site: UsesSite,
  uses: RemoteUses,
  view: LockView,
  snapshot: OnlineSnapshot | undefined,
  report: (finding: import('../findings').FindingReport) => void,
): void {
  const comment = trailingComment(file, site, uses.ref);
  const version = comment && comment !== 'blocked' ? comment.version : null;
  const tagEntry = version ? lockEntry(view.lock, pinKeyOf(uses.owner, uses.repo, version.text)) : undefined;
  const span = refOrValueSpan(site, uses);
  const fixes: Fix[] = [];
  const offline = version && tagEntry?.commit?.value === `sha1-${uses.ref}` ? shaToTagEdits(file, site, uses, version.text) : null;
  if (version && offline) {
    fixes.push({
      title: `Write the locked version \`${version.text}\` instead of the SHA`,
      isPreferred: true,
      safety: 'safe',
      edits: offline,
    });
  }
  const head = `\`${usesTarget(uses)}@${uses.ref}\` is a bare SHA in a workflow that actions.lock pins: the lock already holds the commit, and`;
  const refs = fixes.length === 0 && snapshot ? refsFor(snapshot, uses) : undefined;
  let message: string;
  if (refs?.ok) {
    const tag = tagForCommit(refs.value, uses.ref!);
    message =
      tag === null
        ? `${head} no tag of \`${uses.owner}/${uses.repo}\` points at this commit, so there is no version to write instead: keep the SHA, or move to a released version`
        : `${head} tag \`${tag}\` points at this commit: write it instead and lock it, to keep \`uses:\` readable`;
  } else {
    message = `${head} a version such as ${version ? `\`${version.text}\`` : '`vX.Y.Z`'} keeps \`uses:\` readable${fixes.length === 0 && version ? ' (lock that version first: gh actions-lock)' : ''}`;
  }
  report({ span, severity: 'informational', message, fixes });
}
