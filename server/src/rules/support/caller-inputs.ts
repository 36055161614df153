/**
 * What the callers of a local action or reusable workflow pass for one of its inputs, judged as
 * template-injection judges any expression: the strongest verdict over the workspace's callers, with the
 * caller and the value that carries it. An input a caller fills from its own `inputs.*` is followed up to
 * that caller's callers (a few levels).
 */
import { normalizeContextPath } from '../../knowledge/contexts';
import { assessSite, scopeOf, stronger, type Verdict } from '../../knowledge/taint';
import type { ParsedFile } from '../../parse/document';
import type { Span } from '../../parse/text';
import { scalarText } from '../../parse/yaml-nodes';
import type { WorkspaceView } from '../../views';
import { actionCallers, describeCaller, passedInput, workflowCallers, type CallSite } from './callers';

/** How many callers-of-callers an input is followed through. */
const MAX_INPUT_DEPTH = 4;

export interface CallerInputVerdict {
  /** The strongest verdict of what some caller passes; null when every caller passes a literal or a harmless value. */
  verdict: Verdict | null;
  /** The caller that passes it, and where (its `with:` value, or its `uses:` when the default applies). */
  caller: CallSite | null;
  span: Span | null;
  /** The context path passed (`github.event.comment.body`), when a caller passes one. */
  passed: string | null;
  /** How many callers the workspace has. */
  callers: number;
}

/** The local callers of `file` (a composite action's steps, or the jobs calling a reusable workflow). */
export function localCallers(workspace: WorkspaceView, file: ParsedFile): CallSite[] {
  if (file.action) return actionCallers(workspace, file);
  return workflowCallers(workspace, file);
}

/** The strongest verdict over what the callers of `file` pass for input `name`; null when `file` has no caller in the workspace. */
export function callerInputVerdict(workspace: WorkspaceView, file: ParsedFile, name: string, depth = 0): CallerInputVerdict | null {
  const callers = localCallers(workspace, file);
  if (callers.length === 0) return null;
  let best: CallerInputVerdict = { verdict: null, caller: null, span: null, passed: null, callers: callers.length };
  for (const caller of callers) {
    const found = passedVerdict(workspace, caller, name, depth);
    if (found.verdict && stronger(best.verdict, found.verdict) === found.verdict && found.verdict !== best.verdict)
      best = { ...found, callers: callers.length };
  }
  return best;
}

function passedVerdict(workspace: WorkspaceView, caller: CallSite, name: string, depth: number): CallerInputVerdict {
  const none: CallerInputVerdict = { verdict: null, caller, span: null, passed: null, callers: 1 };
  const entry = passedInput(caller, name);
  // Not passed: the input's default, written in the called file (a default with an expression is rare and
  // judged where it is written).
  if (!entry) return none;
  const text = scalarText(entry.value);
  if (text === null || !text.includes('${{')) return none;
  const callerFile = caller.file;
  let best = none;
  for (const site of callerFile.expressions) {
    const occurrence = site.occurrence;
    if (occurrence.start < entry.valueSpan.start || occurrence.end > entry.valueSpan.end) continue;
    for (const leaf of assessSite(site, scopeOf(callerFile, site.path))) {
      let verdict: Verdict | null = leaf.verdict;
      const path = normalizeContextPath(leaf.path);
      // The caller passes on one of its own inputs: what its own callers pass decides.
      if (path.startsWith('inputs.') && depth < MAX_INPUT_DEPTH) {
        const upper = callerInputVerdict(workspace, callerFile, path.slice('inputs.'.length), depth + 1);
        if (upper)
          verdict =
            upper.verdict && upper.caller && upper.passed
              ? {
                  ...upper.verdict,
                  reason: `its own \`${leaf.path}\`, which ${describeCaller(upper.caller)} fills with \`${upper.passed}\` (there: ${upper.verdict.reason})`,
                }
              : null;
      }
      if (verdict && stronger(best.verdict, verdict) === verdict && verdict !== best.verdict)
        best = { verdict, caller, span: { start: leaf.start, end: leaf.end }, passed: leaf.path, callers: 1 };
    }
  }
  return best;
}
