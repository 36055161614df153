/**
 * Hovers of the actions lock: on an entry of `actions.lock` (the action, the commit and the version it
 * was resolved from, the ids, what uses it and what it uses), and on a `uses:` of an onboarded workflow
 * (the locked commit; `$/` references are pinned by the workflow's own commit; `./` ones make the
 * workflow ineligible).
 */
import type { Analysis } from '../../document-cache';
import { coverageOf, onboardedWorkflow } from '../../lockfile/coverage';
import type { LockEntry, Lockfile } from '../../lockfile/types';
import { lockViewOf } from '../../views';
import { inside, type HoverSection } from '../hover';

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function commitText(entry: LockEntry): string {
  if (!entry.commit) return 'no valid commit';
  const [algorithm, digest] = entry.commit.value.split('-');
  return `${algorithm} ${code(digest.slice(0, 12))}`;
}

function entryMarkdown(lock: Lockfile, entry: LockEntry): string {
  const lines = [`**${entry.pin ? `${entry.pin.owner}/${entry.pin.repo}` : entry.key}** @ ${code(entry.pin?.ref ?? entry.key)}`];
  const version = entry.ref ? ` (resolved from ${code(entry.ref.value)})` : '';
  lines.push(`Locked commit: ${commitText(entry)}${version}.`);
  if (entry.ownerId && entry.repoId)
    lines.push(
      `Owner id ${entry.ownerId.value}, repository id ${entry.repoId.value}: the run is refused if the name now belongs to another account or repository.`,
    );
  const workflows = lock.workflows
    .filter((workflow) => workflow.pins.some((pin) => pin.normalized === entry.normalized))
    .map((workflow) => code(workflow.path));
  const users = lock.entries
    .filter((other) => other.uses.some((use) => use.normalized === entry.normalized))
    .map((other) => code(other.key));
  const usedBy = [...workflows, ...users];
  lines.push(usedBy.length > 0 ? `Used by ${usedBy.join(', ')}.` : 'No workflow lists it.');
  if (entry.uses.length > 0) lines.push(`Uses ${entry.uses.map((use) => code(use.key)).join(', ')}.`);
  return lines.join('\n\n');
}

export function lockfileHover(analysis: Analysis, offset: number): HoverSection[] {
  const file = analysis.file;
  if (file.lockfile) {
    const entry = file.lockfile.entries.find((candidate) => inside(candidate.keySpan, offset));
    return entry ? [{ markdown: entryMarkdown(file.lockfile, entry), span: entry.keySpan }] : [];
  }
  const view = lockViewOf(file);
  if (!view) return [];
  const site = file.uses.find((candidate) => inside(candidate.entry.valueSpan, offset));
  if (!site) return [];
  const span = site.entry.valueSpan;
  const uses = site.reference;
  // In a repository with a lock, `$/` and `./` are explained whether or not the workflow is listed yet.
  if (uses.kind === 'self') {
    return [{ markdown: `${code(`$/${uses.path}`)} runs from this workflow's own commit: it is pinned without a lock entry.`, span }];
  }
  if (uses.kind === 'local') {
    const self = `$/${uses.path.replace(/^\.\//, '')}`;
    // self-repository checked the target: a finding without a fix means the repository has no action there.
    const finding = analysis.findings.find(
      (candidate) => candidate.ruleId === 'self-repository' && span.start <= candidate.span.start && candidate.span.end <= span.end,
    );
    const advice =
      finding && finding.fixes.length === 0
        ? `This repository has no \`action.yml\` or \`action.yaml\` there, so ${code(self)} would not find it in the workflow's commit.`
        : `Write it as ${code(self)}: a \`$/\` action runs from this workflow's own commit, so it is pinned without a lock entry.`;
    return [
      {
        markdown: `${code(uses.path)} is a local action: GitHub cannot onboard a workflow that uses one to the lock today. ${advice}`,
        span,
      },
    ];
  }
  if (uses.kind !== 'remote' || !onboardedWorkflow(view.lock, view.workflowPath)) return [];
  const coverage = coverageOf(view.lock, uses);
  if (coverage?.state !== 'covered') return [];
  return [{ markdown: `Pinned by actions.lock\n\n${entryMarkdown(view.lock, coverage.entry)}`, span }];
}
