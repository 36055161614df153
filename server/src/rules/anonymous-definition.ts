import type { Rule } from './types';

export const anonymousDefinition: Rule = {
  id: 'anonymous-definition',
  title: 'Workflow or job without a name',
  kinds: ['workflow'],
  severity: 'low',
  confidence: 'high',
  persona: 'pedantic',
  online: false,
  docs: {
    summary:
      'A workflow without `name:` is shown by its file path, a job without `name:` by its id, in the Actions UI, required-check settings and audit logs.',
    why: 'Reviewing run history after an incident (which workflow ran, which job used a secret) is slower when names are paths and ids; required status checks bound to unnamed jobs break silently when ids change.',
    fix: 'Add `name:` at the top of the workflow and to each job.',
  },
  check({ file, report }) {
    const workflow = file.workflow;
    if (!workflow || !workflow.map) return;
    if (!workflow.has('name')) {
      const first = workflow.entries[0];
      if (first) report({ span: first.keySpan, message: 'This workflow has no `name:`; the Actions UI will show its file path' });
    }
    for (const job of workflow.jobs) {
      if (!job.map || job.has('name')) continue;
      report({ span: job.idSpan, message: `Job \`${job.id}\` has no \`name:\`; it will be shown by its id`, severity: 'informational' });
    }
  },
};
