import { input, privilegedTriggers, stepAction } from '../knowledge/job-facts';
import { args, flagValue, runScriptsOf, type ShellCommand } from '../knowledge/shell';
import type { Span } from '../parse/text';
import type { StepView } from '../parse/views';
import type { Rule } from './types';
import { trimEndOf } from '../parse/strings';
import { scalarText } from '../parse/yaml-nodes';

const TRIGGERS = ['workflow_run', 'pull_request_target', 'issue_comment'];
const ROOT = /^(\.\/?|\$\{\{\s*github\.workspace\s*\}\}\/?|\$GITHUB_WORKSPACE\/?|)$/;
const EXEC = new Set([
  'unzip',
  'tar',
  '7z',
  'bash',
  'sh',
  'source',
  '.',
  'python',
  'python3',
  'node',
  'chmod',
  'dpkg',
  'pip',
  'pip3',
  'npm',
  'eval',
  'expand-archive',
]);

/** Tools that run what the working directory holds: its scripts, build files, package manifests and config. */
const WORKSPACE_RUNNERS = new Set([
  'make',
  'cmake',
  'ninja',
  'just',
  'npm',
  'npx',
  'yarn',
  'pnpm',
  'bun',
  'bunx',
  'deno',
  'cargo',
  'mvn',
  'gradle',
  'ant',
  'tox',
  'nox',
  'pytest',
  'poetry',
  'pdm',
  'hatch',
  'bundle',
  'rake',
  'composer',
  'dotnet',
  'msbuild',
  'pre-commit',
  'prek',
]);
/** Interpreters: they run a file of the working directory when given one (`python x.py`, `node x.js`, `python -m pkg`). */
const INTERPRETERS = new Set([
  'bash',
  'sh',
  'zsh',
  'source',
  '.',
  'python',
  'python3',
  'py',
  'node',
  'ruby',
  'perl',
  'php',
  'pwsh',
  'powershell',
]);

/** The first command at or after step `from` that runs files of the working directory, described; null when none. */
function workspaceExecution(
  file: Parameters<Rule['check']>[0]['file'],
  job: { steps: StepView[] },
  scripts: ReturnType<typeof runScriptsOf>,
  from: StepView,
  after: number,
): { span: Span; what: string } | null {
  for (const step of job.steps) {
    if (step.index < from.index) continue;
    const action = step.index > from.index ? stepAction(file, step) : null;
    const uses = step.uses ? (scalarText(step.uses.value) ?? '') : '';
    if (step.index > from.index && uses.startsWith('./') && step.uses)
      return { span: step.uses.valueSpan, what: `the local action \`${uses}\`` };
    if (action?.name === 'actions/github-script') {
      const script = input(step, 'script') ?? '';
      if (/require\(\s*['"`]\.{1,2}\/|import\(\s*['"`]\.{1,2}\//.test(script))
        return { span: action.site.entry.valueSpan, what: '`actions/github-script` loading a workspace file' };
    }
    for (const run of scripts) {
      if (run.step !== step) continue;
      for (const command of run.script.commands) {
        if (step === from && command.span.start < after) continue;
        const what = runsWorkspace(command);
        if (what) return { span: run.sourceSpan(command.span), what };
      }
    }
  }
  return null;
}

function runsWorkspace(command: ShellCommand): string | null {
  const first = command.argv[0]?.text ?? '';
  if (!first) return null;
  if (first.includes('/') && !/^(\/|~|\$)/.test(first)) return `\`${first}\``;
  if (/^gradlew(\.bat)?$|^mvnw(\.cmd)?$/.test(first)) return `\`${first}\``;
  const name = command.name;
  if (WORKSPACE_RUNNERS.has(name)) return `\`${[name, command.argv[1]?.text].filter(Boolean).join(' ')}\``;
  if (name === 'go' && /^(run|build|test|generate|vet|install)$/.test(command.argv[1]?.text ?? '')) return `\`go ${command.argv[1].text}\``;
  if (name === 'uv' && /^(run|sync|build|pip)$/.test(command.argv[1]?.text ?? '')) return `\`uv ${command.argv[1].text}\``;
  if (
    (name === 'pip' || name === 'pip3') &&
    args(command).some((word) => /^(-r|--requirement|-e|--editable|-c|--constraint)$|^\.|\//.test(word.text))
  )
    return `\`${name} install\` of workspace files`;
  if (INTERPRETERS.has(name) || name.startsWith('python')) {
    const words = args(command);
    if (words.some((word) => word.text === '-m')) return `\`${name} -m\` (the working directory comes first on \`sys.path\`)`;
    const script = words.find((word) => !word.text.startsWith('-'));
    if (script && !words.some((word) => word.text === '-c' || word.text === '-e' || word.text === '--eval' || word.text === '-Command'))
      return `\`${name} ${script.text}\``;
  }
  return null;
}

/** True when the job checks a repository out into its workspace (`actions/checkout`, `git clone`, `gh pr checkout`). */
function checksOut(
  file: Parameters<Rule['check']>[0]['file'],
  job: { steps: StepView[] },
  scripts: ReturnType<typeof runScriptsOf>,
): boolean {
  if (job.steps.some((step) => stepAction(file, step)?.name === 'actions/checkout')) return true;
  return scripts.some((run) =>
    run.script.commands.some(
      (command) =>
        (command.name === 'git' && (command.argv[1]?.text === 'clone' || command.argv[1]?.text === 'checkout')) ||
        (command.name === 'gh' &&
          ((command.argv[1]?.text === 'repo' && command.argv[2]?.text === 'clone') ||
            (command.argv[1]?.text === 'pr' && command.argv[2]?.text === 'checkout'))),
    ),
  );
}

interface Download {
  step: StepView;
  span: Span;
  what: string;
  /** Destination directory, null for the workspace root. */
  path: string | null;
  /** For a `run:` download, where in the step's script it ends (later commands of that step count as after it). */
  after: number;
}

export const artifactPoisoning: Rule = {
  id: 'artifact-poisoning',
  title: 'Privileged job unpacks or runs artifacts of an untrusted run',
  kinds: ['workflow'],
  severity: 'high',
  confidence: 'medium',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A `workflow_run` (or other privileged) job downloads artifacts of the run that triggered it, which a fork pull request controls, into the workspace root or then extracts or executes them.',
    why: 'Artifacts uploaded by a `pull_request` run contain whatever the pull request wanted. A `workflow_run` job that downloads them into its workspace lets them overwrite scripts, configuration or `node_modules` of the trusted checkout, and then runs them with the repository\'s secrets. GitHub Security Lab documented the pattern ("Keeping your GitHub Actions and workflows secure Part 1", 2021), and CodeQL ships `actions/artifact-poisoning` queries for it.',
    fix: 'Download into a fresh directory outside the workspace (`path: ${{ runner.temp }}/artifacts`), treat every file as untrusted data (validate a PR number with a regular expression, never `source` or execute it), and never extract archives over the checkout.',
  },
  check({ file, report }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const triggers = privilegedTriggers(workflow, TRIGGERS);
    if (triggers.length === 0) return;
    for (const job of workflow.jobs) {
      const scripts = runScriptsOf(file, job);
      const downloads: Download[] = [];
      for (const step of job.steps) {
        const action = stepAction(file, step);
        if (action?.name === 'actions/download-artifact' && (step.with.has('run-id') || step.with.has('github-token'))) {
          const path = input(step, 'path');
          downloads.push({
            step,
            span: action.site.entry.valueSpan,
            what: '`actions/download-artifact` with `run-id`',
            path: path === null || ROOT.test(path.trim()) ? null : path.trim(),
            after: Number.POSITIVE_INFINITY,
          });
        } else if (
          action &&
          /^dawidd6\/action-download-artifact$|^bettermarks\/action-artifact-download$|^aochmann\/actions-download-artifact$/.test(
            action.name,
          )
        ) {
          const path = input(step, 'path');
          downloads.push({
            step,
            span: action.site.entry.valueSpan,
            what: `\`${action.name}\``,
            path: path === null || ROOT.test(path.trim()) ? null : path.trim(),
            after: Number.POSITIVE_INFINITY,
          });
        }
        for (const run of scripts) {
          if (run.step !== step) continue;
          for (const command of run.script.commands) {
            if (command.name === 'gh' && command.argv[1]?.text === 'run' && command.argv[2]?.text === 'download') {
              const dir = flagValue(command, '-D', '--dir');
              downloads.push({
                step,
                span: run.sourceSpan(command.span),
                what: '`gh run download`',
                path: dir === null || ROOT.test(dir.text) ? null : dir.text,
                after: command.span.end,
              });
            }
          }
        }
      }
      let checkout: boolean | undefined;
      for (const download of downloads) {
        if (download.path === null) {
          // Into the workspace root: a danger when something then runs what the workspace holds, or when the files
          // land over a checkout. A job that only uploads or reads them with tools installed before is not.
          const runner = workspaceExecution(file, job, scripts, download.step, download.after);
          checkout ??= checksOut(file, job, scripts);
          if (!runner && !checkout) continue;
          report({
            span: download.span,
            message: runner
              ? `${download.what} in \`${triggers[0]}\` job \`${job.id}\` extracts the triggering run's artifacts into the workspace root${checkout ? ', over the trusted checkout,' : ''} and ${runner.what} then runs what is there; a fork pull request controls their content`
              : `${download.what} in \`${triggers[0]}\` job \`${job.id}\` extracts the triggering run's artifacts into the workspace root, over the trusted checkout; no later step is known to run workspace files, but any that reads the checkout reads what a fork pull request put there`,
            confidence: runner ? 'medium' : 'low',
            persona: runner ? 'regular' : 'pedantic',
            related: runner ? [{ span: runner.span, message: `${runner.what} runs the files of the workspace` }] : [],
          });
          continue;
        }
        const use = laterUse(scripts, download);
        if (!use) continue;
        report({
          span: download.span,
          message: `${download.what} in \`${triggers[0]}\` job \`${job.id}\` fetches the triggering run's artifacts and ${use.what} them; a fork pull request controls their content`,
          confidence: 'medium',
          related: [{ span: use.span, message: `${use.what} the artifact` }],
        });
      }
    }
  },
};

function laterUse(scripts: ReturnType<typeof runScriptsOf>, download: Download): { span: Span; what: string } | null {
  if (download.path === null) return null;
  const dir = trimEndOf(download.path, '/');
  for (const run of scripts) {
    if (run.step.index < download.step.index) continue;
    for (const command of run.script.commands) {
      const first = command.argv[0]?.text ?? '';
      const runsLocal = /^\.\//.test(first) && first.includes(dir.replace(/^\.\//, ''));
      if (!runsLocal && !(EXEC.has(command.name) && mentions(command, dir))) continue;
      {
        const what =
          command.name === 'unzip' || command.name === 'tar' || command.name === '7z' || command.name === 'expand-archive'
            ? 'extracts'
            : 'executes';
        return { span: run.sourceSpan(command.span), what };
      }
    }
  }
  return null;
}

function mentions(command: ShellCommand, dir: string): boolean {
  const needle = dir.replace(/^\.\//, '');
  return needle.length > 0 && (args(command).some((word) => word.text.includes(needle)) || command.argv[0].text.includes(needle));
}
