import { input, privilegedTriggers, stepAction } from '../knowledge/job-facts';
import { args, flagValue, runScriptsOf, type ShellCommand } from '../knowledge/shell';
import type { Span } from '../parse/text';
import type { StepView } from '../parse/views';
import type { Rule } from './types';
import { trimEndOf } from '../parse/strings';

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

interface Download {
  step: StepView;
  span: Span;
  what: string;
  /** Destination directory, null for the workspace root. */
  path: string | null;
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
              });
            }
          }
        }
      }
      for (const download of downloads) {
        const use = laterUse(scripts, download);
        if (download.path !== null && !use) continue;
        report({
          span: download.span,
          message:
            download.path === null
              ? `${download.what} in \`${triggers[0]}\` job \`${job.id}\` extracts the triggering run's artifacts into the workspace root, over the trusted checkout; a fork pull request controls their content`
              : `${download.what} in \`${triggers[0]}\` job \`${job.id}\` fetches the triggering run's artifacts and ${use!.what} them; a fork pull request controls their content`,
          confidence: 'medium',
          related: use ? [{ span: use.span, message: `${use.what} the artifact` }] : [],
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
