import { remoteActionName } from '../parse/uses';
import type { StepView } from '../parse/views';
import { viewValue, type View, type WorkspaceView } from '../views';
import { normalizePath } from './support/callers';
import type { Rule } from './types';

/**
 * Whether the folder a `./path` names holds an `action.yml` or `action.yaml` in the repository's files:
 * `missing` only when the view holds every action file of the repository; `unknown` when there is no view
 * or it may lack some (a single file scanned), or the path climbs out of the repository.
 */
function localActionTarget(workspace: View<WorkspaceView>, raw: string): 'present' | 'missing' | 'unknown' {
  const view = viewValue(workspace);
  const dir = normalizePath(raw);
  if (!view || dir === null) return 'unknown';
  const prefix = dir === '' ? '' : `${dir}/`;
  if (view.files.has(`${prefix}action.yml`) || view.files.has(`${prefix}action.yaml`)) return 'present';
  return view.complete === true ? 'missing' : 'unknown';
}

/** A step checking out another repository, or into a sub-directory: `./` may then mean something else. */
function checkoutKind(step: StepView): 'same' | 'other' | 'moved-ref' | null {
  if (remoteActionName(step.string('uses')?.value) !== 'actions/checkout') return null;
  const inputs = step.with;
  const repository = inputs.string('repository')?.value.trim();
  if (repository && !/^\$\{\{\s*github\.repository\s*\}\}$/.test(repository)) return 'other';
  if (inputs.has('path')) return 'other';
  if (inputs.has('ref')) return 'moved-ref';
  return 'same';
}

export const selfRepository: Rule = {
  id: 'self-repository',
  title: "Local action loaded from the workspace instead of the workflow's own commit",
  kinds: ['workflow'],
  severity: 'low',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['workspace'],
  docs: {
    summary:
      "`uses: ./path` runs whatever is at that path in the runner's workspace when the step starts; `uses: $/path` runs the action from the commit the workflow itself came from.",
    why: 'In the 2026 Trivy compromise (hackerbot-claw), a `pull_request_target` workflow checked out the pull request and then ran `uses: ./.github/actions/setup-go`: the "local" action was the attacker\'s code, running with the organisation\'s token. `./` also cannot satisfy GitHub\'s "require full-length SHA" policy. `$/` (GA July 2026) names the workflow\'s own repository and commit.',
    fix: "Write `uses: $/path`. The quick fix is offered only where the repository holds `path/action.yml` (or `action.yaml`): `$/` loads the action from the workflow's commit, so a folder an earlier step makes (or an ignored one) would not be found. It is marked safe when the job checks out only its own repository at the default ref and the target was checked, and unsafe when an earlier checkout names a `ref:` (then `./` runs that ref's code and `$/` runs the workflow's commit — usually what you want, but review it) or when the repository's other files were not seen (a single file scanned).",
  },
  check({ file, workspace, report }) {
    const workflow = file.workflow;
    if (!workflow) return;
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'local' || reference.isReusableWorkflow || !site.job || !site.step || !site.exact) continue;
      const raw = site.value.trim();
      if (!raw.startsWith('./') || raw.startsWith('./..') || raw === './') continue;
      const before = site.job.steps
        .slice(0, site.step.index)
        .map(checkoutKind)
        .filter((kind) => kind !== null);
      if (before.includes('other')) continue;
      const safe = before.length > 0 && before.every((kind) => kind === 'same');
      const leading = site.value.length - site.value.trimStart().length;
      const span = { start: site.valueStart + leading, end: site.valueStart + leading + raw.length };
      const replacement = `$/${raw.slice(2)}`;
      const target = localActionTarget(workspace, raw);
      if (target === 'missing') {
        // `$/` loads the action from the workflow's commit: a folder the repository does not hold (made by an
        // earlier step, or ignored) would not be found there, so the rewrite would break the step.
        report({
          span: { start: span.start, end: span.start + 2 },
          message: `\`${raw}\` loads the action from the workspace, and this repository has no \`action.yml\` or \`action.yaml\` there (made by an earlier step, or ignored?): \`${replacement}\` would not find it in the workflow's commit, so no rewrite is offered`,
        });
        continue;
      }
      report({
        span: { start: span.start, end: span.start + 2 },
        message: before.includes('moved-ref')
          ? `\`${raw}\` runs the action from the ref checked out earlier in job \`${site.job.id}\`, not from this workflow's commit: use \`${replacement}\``
          : `\`${raw}\` loads the action from the workspace; \`${replacement}\` loads it from this workflow's own commit and satisfies SHA-pinning policies`,
        fixes: [
          {
            title: `Use \`${replacement}\``,
            isPreferred: true,
            // Unchecked target (a single file scanned): review it.
            safety: safe && target === 'present' ? 'safe' : 'unsafe',
            edits: [{ span: { start: span.start, end: span.start + 2 }, newText: '$/' }],
          },
        ],
      });
    }
  },
};
