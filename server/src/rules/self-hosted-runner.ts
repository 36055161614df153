import { triggerInfo } from '../knowledge/triggers';
import { asMap, asSeq, scalarText, seqItems, spannedString } from '../parse/yaml-nodes';
import { MapView } from '../parse/views';
import type { Span } from '../parse/text';
import type { YamlNode } from '../parse/yaml-nodes';
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
    if (expression && matrixValues(matrix, expression[1], doc).some((labels) => labels.some((label) => /^self-hosted$/i.test(label))))
      return { span: single.span, what: 'a self-hosted runner (from the matrix)', certain: true };
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

/** GitHub's limit on the combinations of one matrix: past it we stop expanding (and read no more rows). */
const MAX_COMBINATIONS = 256;

/** A value of the matrix as a label list: a scalar is one label, a sequence its scalar items. */
function labelsOf(node: YamlNode | null, doc: MapView['doc']): string[] {
  const text = scalarText(node);
  if (text !== null) return [text.trim()];
  return seqItems(asSeq(node), doc)
    .map((item) => scalarText(item)?.trim())
    .filter((label): label is string => label !== undefined);
}

/** A comparable text for a matrix value (scalars by text, lists and mappings by their items), for `exclude:` matching. */
function canonical(node: YamlNode | null, doc: MapView['doc'], depth = 0): string {
  const text = scalarText(node);
  if (text !== null) return `s:${text.trim()}`;
  if (depth > 4) return '?';
  const seq = asSeq(node);
  if (seq)
    return `[${seqItems(seq, doc)
      .map((item) => canonical(item, doc, depth + 1))
      .join(',')}]`;
  const map = new MapView(asMap(node), doc);
  return `{${map.entries.map((entry) => `${entry.key}=${canonical(entry.value, doc, depth + 1)}`).join(',')}}`;
}

/**
 * The values `matrix.<key>` takes in the combinations that run, each as a label list: the key's own
 * values in the combinations `exclude:` leaves (a row excludes the combinations that match every key it
 * names), and the values the `include:` rows bring (an include row always ends up in some combination).
 */
function matrixValues(matrix: MapView, key: string, doc: MapView['doc']): string[][] {
  const axes = matrix.entries.filter((entry) => entry.key !== 'include' && entry.key !== 'exclude');
  const values: string[][] = [];
  if (axes.some((axis) => axis.key === key)) {
    const excludes = seqItems(asSeq(matrix.get('exclude')?.value ?? null), doc).map((row) =>
      new MapView(asMap(row), doc).entries.map((entry) => ({ key: entry.key, value: canonical(entry.value, doc) })),
    );
    // The combinations, expanded axis by axis (each combination: axis → its value node).
    let combinations: Map<string, YamlNode>[] = [new Map()];
    for (const axis of axes) {
      // An axis given by an expression is unknown: it neither multiplies nor lets an exclude row match.
      if (!asSeq(axis.value)) continue;
      const items = seqItems(asSeq(axis.value), doc);
      const next: Map<string, YamlNode>[] = [];
      for (const combination of combinations)
        for (const item of items) {
          if (next.length >= MAX_COMBINATIONS) break;
          next.push(new Map(combination).set(axis.key, item));
        }
      combinations = next;
    }
    for (const combination of combinations) {
      const excluded = excludes.some(
        (row) =>
          row.length > 0 && row.every(({ key: name, value }) => combination.has(name) && canonical(combination.get(name)!, doc) === value),
      );
      const value = combination.get(key);
      if (!excluded && value) values.push(labelsOf(value, doc));
    }
  }
  for (const row of seqItems(asSeq(matrix.get('include')?.value ?? null), doc)) {
    const value = new MapView(asMap(row), doc).get(key)?.value;
    if (value) values.push(labelsOf(value, doc));
  }
  return values;
}
