/**
 * Jobs and steps that never run: `if: false` or `if: ${{ false }}`. The engine drops every finding inside
 * them (their code cannot be reached, whatever it does), except findings on the `if:` entry itself, which
 * is live configuration (e.g. an obfuscated or unsound condition).
 */
import type { ParsedFile } from '../../parse/document';
import type { Span } from '../../parse/text';
import type { StepView } from '../../parse/views';
import { entrySpan, scalarText, type Entry } from '../../parse/yaml-nodes';

export interface DeadRegion {
  /** The whole job or step. */
  span: Span;
  /** The `if:` entry that makes it dead: findings there are kept. */
  condition: Span;
}

/** True for a condition that is the constant `false`: `false`, `${{ false }}` (any spacing, any case). */
export function isNeverTrue(entry: Entry | undefined): boolean {
  if (!entry) return false;
  let text = scalarText(entry.value);
  if (text === null) return false;
  text = text.trim();
  if (text.startsWith('${{') && text.endsWith('}}')) text = text.slice(3, -2).trim();
  return text.toLowerCase() === 'false';
}

/** The jobs and steps of a workflow or composite action whose `if:` is the constant `false`. */
export function deadRegions(file: ParsedFile): DeadRegion[] {
  const regions: DeadRegion[] = [];
  const steps = (list: readonly StepView[]) => {
    for (const step of list) {
      const condition = step.if;
      const span = step.nodeSpan;
      if (condition && span && isNeverTrue(condition)) regions.push({ span, condition: entrySpan(condition) });
    }
  };
  for (const job of file.workflow?.jobs ?? []) {
    const condition = job.if;
    if (condition && isNeverTrue(condition)) regions.push({ span: job.span, condition: entrySpan(condition) });
    else steps(job.steps);
  }
  if (file.action) steps(file.action.steps);
  return regions;
}

/** True when `span` lies inside a dead region and not on its `if:` entry. */
export function insideDeadRegion(span: Span, regions: readonly DeadRegion[]): boolean {
  return regions.some(
    (region) =>
      span.start >= region.span.start &&
      span.end <= region.span.end &&
      !(span.start >= region.condition.start && span.end <= region.condition.end),
  );
}
