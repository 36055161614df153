import { setStepInput } from '../fixes/step-inputs';
import { actionMajorVersion, allSteps, input, stepUses } from '../knowledge/job-facts';
import { runScripts } from '../knowledge/shell';
import type { ParsedFile } from '../parse/document';
import type { StepView } from '../parse/views';
import type { Rule } from './types';
import type { Severity } from '../findings';

const UPLOADERS = ['actions/upload-artifact', 'actions/upload-pages-artifact', 'actions/cache', 'actions/cache/save'];
/** Actions that push with the credentials a checkout persisted. */
const PUSHERS = [
  'stefanzweifel/git-auto-commit-action',
  'ad-m/github-push-action',
  'ec-nantes/push-action',
  'endbug/add-and-commit',
  'github-actions-x/commit',
  'changesets/action',
  'peter-evans/create-pull-request',
  'cpina/github-action-push-to-another-repository',
];

function uploadsWorkspace(file: ParsedFile, step: StepView): boolean {
  if (!stepUses(file, step, ...UPLOADERS)) return false;
  const path = input(step, 'path');
  if (path === null) return false;
  return path.split(/\r?\n/).some((line) => {
    const item = line.trim().replace(/^['"]|['"]$/g, '');
    return /^(\.{1,2}\/?|\$\{\{\s*github\.workspace\s*\}\}\/?|\$GITHUB_WORKSPACE\/?|\*\*?|\.\/\*\*?)$/.test(item);
  });
}

/** Steps whose `run:` script calls `git push`, `git fetch` or `git pull`, for the whole file at once. */
function gitRemoteSteps(file: ParsedFile): Set<StepView> {
  const steps = new Set<StepView>();
  for (const run of runScripts(file)) {
    if (
      run.script.commands.some(
        (command) =>
          command.name === 'git' && command.argv.some((word) => word.text === 'push' || word.text === 'fetch' || word.text === 'pull'),
      )
    )
      steps.add(run.step);
  }
  return steps;
}

/**
 * Facts about the steps after each step of a list, computed once per list from its end (linear, where
 * asking per checkout was quadratic in the checkouts of a job): the first step uploading the workspace,
 * and whether some step pushes with the persisted credentials (a pusher action or a git remote command).
 */
class LaterSteps {
  private uploads: (StepView | undefined)[] | undefined;
  private pushes: boolean[] | undefined;
  constructor(
    private readonly file: ParsedFile,
    private readonly steps: StepView[],
    private readonly gitSteps: () => Set<StepView>,
  ) {}

  uploadAfter(index: number): StepView | undefined {
    if (!this.uploads) {
      this.uploads = new Array(this.steps.length);
      let next: StepView | undefined;
      for (let i = this.steps.length - 1; i >= 0; i--) {
        this.uploads[i] = next;
        if (uploadsWorkspace(this.file, this.steps[i])) next = this.steps[i];
      }
    }
    return this.uploads[index];
  }

  pushAfter(index: number): boolean {
    if (!this.pushes) {
      const git = this.gitSteps();
      this.pushes = new Array(this.steps.length);
      let later = false;
      for (let i = this.steps.length - 1; i >= 0; i--) {
        this.pushes[i] = later;
        const step = this.steps[i];
        if (git.has(step) || stepUses(this.file, step, ...PUSHERS)) later = true;
      }
    }
    return this.pushes[index];
  }
}

const LOWER: Record<Severity, Severity> = { high: 'medium', medium: 'low', low: 'informational', informational: 'informational' };

export const artipacked: Rule = {
  id: 'artipacked',
  title: 'Checkout leaves the token in .git/config',
  kinds: ['workflow', 'action'],
  severity: 'medium',
  confidence: 'low',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      "`actions/checkout` without `persist-credentials: false` writes the job's token into the checkout, where every later step, and every artifact of the workspace, can read it.",
    why: 'In "ArtiPACKED" (Palo Alto Unit 42, 2024) public repositories of Google, Microsoft, AWS, Red Hat and others uploaded their whole workspace as an artifact: `.git/config` inside it held the `GITHUB_TOKEN` (and sometimes a PAT) that `actions/checkout` had persisted, and anyone could download the artifact and race the job to use the token. Astral sets `persist-credentials: false` on every checkout (uv: 132 of 132).',
    fix: "Add `persist-credentials: false` under the checkout's `with:`. A later step that really needs to push can pass the token explicitly (e.g. `git push https://x-access-token:${GH_TOKEN}@github.com/...` with `GH_TOKEN` in that step's `env:`).",
  },
  check({ file, report }) {
    let gitSteps: Set<StepView> | undefined;
    const gitRemote = () => (gitSteps ??= gitRemoteSteps(file));
    const laterOf = new Map<StepView[], LaterSteps>();
    for (const { step, steps } of allSteps(file)) {
      const action = stepUses(file, step, 'actions/checkout');
      if (!action) continue;
      const persist = step.with.get('persist-credentials');
      const value = persist ? input(step, 'persist-credentials') : null;
      let later = laterOf.get(steps);
      if (!later) laterOf.set(steps, (later = new LaterSteps(file, steps, gitRemote)));
      const upload = later.uploadAfter(step.index);
      const major = actionMajorVersion(file, action);
      const modern = major !== null && major >= 6;
      const span = action.site.entry.valueSpan;
      const where = modern ? 'a credentials file the git config points to' : '`.git/config`';
      const related = upload
        ? [{ span: upload.uses!.valueSpan, message: modern ? 'uploads the workspace' : 'uploads the workspace, `.git/config` included' }]
        : [];
      if (value !== null && value.trim().toLowerCase() === 'false') continue;
      if (value !== null && value.trim().toLowerCase() === 'true') {
        report({
          span: persist!.valueSpan,
          message: `\`persist-credentials: true\` keeps the token in the checkout for every later step${upload ? ', and a later step uploads the workspace' : ''}`,
          severity: upload ? 'high' : 'low',
          confidence: upload ? 'high' : 'medium',
          persona: upload ? 'regular' : 'auditor',
          related,
        });
        continue;
      }
      if (value !== null) {
        report({
          span: persist!.valueSpan,
          message: `\`persist-credentials\` is computed; when it is true the token stays in ${where}`,
          severity: 'low',
          confidence: 'low',
          persona: 'pedantic',
          related,
        });
        continue;
      }
      let severity: Severity = upload ? 'high' : 'medium';
      if (modern) severity = LOWER[severity];
      const pushes = !upload && later.pushAfter(step.index);
      report({
        span,
        message: upload
          ? `\`${action.site.value}\` persists the token in ${where} and a later step uploads the workspace: anyone who can download the artifact gets the token`
          : pushes
            ? `\`${action.site.value}\` persists the token in ${where}; a later step pushes with it. Prefer \`persist-credentials: false\` and pass the token to that step only`
            : `\`${action.site.value}\` persists the token in ${where}, readable by every later step; add \`persist-credentials: false\``,
        severity: pushes ? 'low' : severity,
        confidence: upload ? 'high' : 'low',
        persona: pushes ? 'pedantic' : 'regular',
        related,
        fixes: () => {
          const edits = setStepInput(file, step, 'persist-credentials', 'false');
          return edits ? [{ title: 'Add `persist-credentials: false`', isPreferred: true, safety: 'unsafe', edits }] : [];
        },
      });
    }
  },
};
