import { MapView } from '../parse/views';
import type { StepView } from '../parse/views';
import type { Rule, RuleContext } from './types';

/**
 * Programs a custom shell (`shell: <program> … {0}`) may name and still be read as the scripts it runs are
 * read: the built-in shells, and bash under another environment (MSYS2, WSL, micromamba).
 */
const READABLE_SHELLS = new Set(['bash', 'sh', 'pwsh', 'powershell', 'python', 'python3', 'cmd', 'msys2', 'wsl-bash', 'micromamba-shell']);

/** The program a custom shell runs, without its folder or `.exe`; a wrapper that names bash/sh/pwsh (`script -c "bash … {0}"`) counts as that shell. */
function customShellProgram(shell: string): string | null {
  const text = shell.trim();
  if (!text.includes('{0}') || text.includes('${{')) return null;
  const words = text.split(/\s+/).map((word) => word.replace(/^['"]+|['"]+$/g, ''));
  const program = (words[0] ?? '').replace(/^.*[\\/]/, '').toLowerCase();
  const name = program.endsWith('.exe') ? program.slice(0, -4) : program;
  if (READABLE_SHELLS.has(name)) return null;
  if (words.slice(1).some((word) => READABLE_SHELLS.has(word.replace(/^.*[\\/]/, '').toLowerCase()))) return null;
  return words[0] || null;
}

/** `where` names the place in the message: a function, so the label is built only for a finding. */
function checkShell(ctx: RuleContext, where: () => string, shell: { value: string; span: { start: number; end: number } } | null): void {
  if (!shell) return;
  const custom = customShellProgram(shell.value);
  if (custom) {
    ctx.report({
      span: shell.span,
      message: `${where()} runs its script with the custom shell \`${custom}\`: no rule reads what that script does (downloads, installs, injected expressions), and its own quoting rules apply to every \`\${{ }}\` pasted into it. Prefer \`bash\` or \`pwsh\` calling the program on a file`,
      severity: 'informational',
      persona: 'auditor',
    });
    return;
  }
  if (shell.value.trim().toLowerCase() !== 'cmd') return;
  ctx.report({
    span: shell.span,
    message: `${where()} uses \`shell: cmd\`, whose quoting rules make any interpolated value hard to contain and whose errors do not stop the script: use \`pwsh\` or \`bash\``,
  });
}

function checkSteps(ctx: RuleContext, steps: readonly StepView[]): void {
  for (const step of steps) checkShell(ctx, () => `Step \`${step.label}\``, step.shell);
}

export const misfeature: Rule = {
  id: 'misfeature',
  title: 'Feature that is hard to use safely',
  kinds: ['workflow', 'action'],
  severity: 'low',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary: "`shell: cmd` and actions/setup-python's `pip-install` work, but make injection or unpinned installs the easy path.",
    why: '`cmd.exe` expands `%VAR%` and metacharacters in ways no quoting fully contains and carries on after a failing command; `pip-install` installs whatever the index serves today, without hashes, in the same step that sets up the interpreter — the unpinned-install pattern behind the 2026 LiteLLM compromise.',
    fix: 'Use `shell: pwsh` or `bash` on Windows; install Python packages in a `run:` step from a lockfile with hashes.',
  },
  check(ctx) {
    const { workflow, action } = ctx.file;
    if (workflow) {
      const defaults = (view: MapView) => view.child('defaults').child('run').string('shell');
      checkShell(ctx, () => 'The workflow default', defaults(workflow));
      for (const job of workflow.jobs) {
        checkShell(ctx, () => `The default of job \`${job.id}\``, defaults(job));
        checkSteps(ctx, job.steps);
      }
    }
    if (action) checkSteps(ctx, action.steps);
    for (const site of ctx.file.uses) {
      const reference = site.reference;
      if (!site.step || reference.kind !== 'remote' || reference.repository.toLowerCase() !== 'actions/setup-python') continue;
      const pip = site.step.with.get('pip-install');
      if (!pip) continue;
      ctx.report({
        span: pip.keySpan,
        message:
          '`pip-install` of actions/setup-python installs packages into the interpreter without a lockfile or hashes: install them in a `run:` step from a locked requirements file (`pip install --require-hashes -r …`, `uv sync --locked`)',
      });
    }
  },
};
