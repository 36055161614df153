import { triggerInfo } from '../knowledge/triggers';
import { asMap, asSeq, scalarText, seqItems, spannedString } from '../parse/yaml-nodes';
import { MapView } from '../parse/views';
import type { Span } from '../parse/text';
import type { Rule } from './types';

/** Triggers on which someone without write access makes code or text reach the runner. */
const OUTSIDER = [
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
  'issue_comment',
  'issues',
  'discussion',
  'discussion_comment',
  'workflow_run',
  'fork',
  'watch',
];

export const selfHostedRunner: Rule = {
  id: 'self-hosted-runner',
  title: 'Job runs on a self-hosted runner',
  kinds: ['workflow'],
  severity: 'medium',
  confidence: 'high',
  persona: 'auditor',
  online: false,
  docs: {
    summary:
      'A job runs on a self-hosted runner (a `self-hosted` label, a runner group, or labels from an expression). On triggers outsiders can fire this is a path to a persistent foothold in your network.',
    why: "Self-hosted runners are not wiped between jobs: code from one run can leave a backdoor for the next and reach whatever the machine can reach. The Shai-Hulud 2 worm (2025) registered victims' machines as self-hosted runners and drove them with a `discussion` workflow; Praetorian's and John Stawinski's 2024 research took over PyTorch's release infrastructure through fork pull requests running on its self-hosted runners.",
    fix: 'Use GitHub-hosted runners for anything an outsider can trigger; require approval for fork pull requests from all outside contributors; run self-hosted runners as ephemeral (`--ephemeral`, one job per VM) in a runner group restricted to specific private repositories and workflows.',
  },
  check({ file, report }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const outsider = workflow.triggers.map((trigger) => trigger.name).filter((name) => OUTSIDER.includes(name));
    for (const job of workflow.jobs) {
      const runsOn = job.runsOn;
      if (!runsOn || !runsOn.value) continue;
      const hit = selfHosted(runsOn.value, job.strategy.child('matrix'), workflow.doc);
      if (!hit) continue;
      const exposed = outsider.length > 0;
      const forkCode = outsider.includes('pull_request') || outsider.includes('pull_request_target');
      report({
        span: hit.span,
        message: exposed
          ? `job \`${job.id}\` runs on ${hit.what} and \`${outsider[0]}\` lets ${triggerInfo(outsider[0])?.firedBy ?? 'outsiders'} start it: a non-ephemeral runner can be backdoored`
          : `job \`${job.id}\` runs on ${hit.what}; make sure the runner is ephemeral and restricted to this repository`,
        severity: exposed ? (forkCode ? 'high' : 'medium') : 'medium',
        confidence: hit.certain ? 'high' : 'low',
        persona: exposed && hit.certain ? 'regular' : 'auditor',
      });
    }
  },
};

function selfHosted(
  value: Parameters<typeof scalarText>[0],
  matrix: MapView,
  doc: MapView['doc'],
): { span: Span; what: string; certain: boolean } | null {
  const single = spannedString(value);
  if (single) {
    if (/^self-hosted$/i.test(single.value.trim())) return { span: single.span, what: 'a self-hosted runner', certain: true };
    const expression = /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/.exec(single.value);
    if (expression) {
      const values = matrix.get(expression[1]);
      const items = seqItems(asSeq(values?.value ?? null), doc);
      const hosted = items.some((item) => {
        const text = scalarText(item);
        if (text !== null) return /^self-hosted$/i.test(text);
        return seqItems(asSeq(item), doc).some((label) => /^self-hosted$/i.test(scalarText(label) ?? ''));
      });
      if (hosted) return { span: single.span, what: 'a self-hosted runner (from the matrix)', certain: true };
    }
    return null;
  }
  const seq = asSeq(value);
  if (seq) {
    for (const item of seqItems(seq, doc)) {
      const label = spannedString(item);
      if (label && /^self-hosted$/i.test(label.value.trim())) return { span: label.span, what: 'a self-hosted runner', certain: true };
    }
    return null;
  }
  const map = new MapView(asMap(value), doc);
  const group = map.string('group');
  if (group)
    return { span: group.span, what: `runner group \`${group.value}\` (self-hosted, or larger GitHub-hosted runners)`, certain: false };
  const labels = map.get('labels');
  if (labels?.value) return selfHosted(labels.value, matrix, doc);
  return null;
}
