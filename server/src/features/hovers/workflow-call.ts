/**
 * Hover on `workflow_call` under `on:`: the workflows of the repository that call this one, and what each
 * brings: the events that start it (its own triggers, or its callers' when it is itself reusable), the
 * token permissions and the secrets it gives the call. Read from the workspace view the analysis had.
 */
import type { Analysis } from '../../document-cache';
import { triggerInfo } from '../../knowledge/triggers';
import type { WorkflowView } from '../../parse/views';
import { asMap, scalarText, type Entry } from '../../parse/yaml-nodes';
import { workflowCallers, type WorkflowCaller } from '../../rules/support/callers';
import { MapView } from '../../parse/views';
import { inside, type HoverSection } from '../hover';

/** Callers listed in the hover; the rest are counted. */
const MAX_LISTED = 10;

/** Backticks would end the code span a value is shown in. */
const code = (text: string) =>
  `\`${text
    .replace(/`/g, "'")
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 120)}\``;

function permissionsText(entry: Entry | undefined, workflow: WorkflowView | null): string {
  if (!entry) return 'the default token (no `permissions:`)';
  const shorthand = scalarText(entry.value);
  if (shorthand !== null) return code(shorthand);
  const map = asMap(entry.value);
  if (!map) return code('{}');
  const scopes = new MapView(map, workflow?.doc ?? null).entries.map((scope) => `${scope.key}: ${scalarText(scope.value) ?? '?'}`);
  return scopes.length === 0 ? `${code('{}')} (no scope)` : scopes.map(code).join(', ');
}

function callerLine(caller: WorkflowCaller): string {
  const triggers = caller.triggers.map((name) => {
    const info = triggerInfo(name);
    return `${code(name)}${info?.outsiderCanFire ? ' ⚠ fired by people without write access' : ''}`;
  });
  const secrets =
    caller.secrets === 'inherit'
      ? '`inherit` (every secret)'
      : caller.secrets.length > 0
        ? caller.secrets.slice(0, 6).map(code).join(', ') + (caller.secrets.length > 6 ? '…' : '')
        : 'none';
  const via = caller.chain.length > 0 ? ` (through ${caller.chain.slice(0, 3).map(code).join(', ')})` : '';
  return `- ${code(caller.path)}, job ${code(caller.job.id)} — on ${triggers.length > 0 ? triggers.join(', ') : 'no trigger of its own'}${via}; permissions: ${permissionsText(caller.permissions, caller.file.workflow)}; secrets: ${secrets}`;
}

export function workflowCallHover(analysis: Analysis, offset: number): HoverSection[] {
  const trigger = analysis.file.workflow?.triggers.find(
    (candidate) => candidate.name === 'workflow_call' && inside(candidate.span, offset),
  );
  if (!trigger) return [];
  const workspace = analysis.workspace;
  if (!workspace?.available)
    return [{ markdown: "**Callers**: not known here (the repository's other files are not indexed).", span: trigger.span }];
  const callers = workflowCallers(workspace.value, analysis.file);
  if (callers.length === 0)
    return [
      {
        markdown: '**Callers**: no workflow of this repository calls it (`./` or `$/`). Callers in other repositories are not seen.',
        span: trigger.span,
      },
    ];
  const lines = callers.slice(0, MAX_LISTED).map(callerLine);
  const more = callers.length > MAX_LISTED ? `\n- … and ${callers.length - MAX_LISTED} more` : '';
  return [
    {
      markdown: `**Callers in this repository** (${callers.length}) — this workflow runs with what each brings:\n\n${lines.join('\n')}${more}`,
      span: trigger.span,
    },
  ];
}
