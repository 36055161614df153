/**
 * Minimal edits that set one `with:` input of a step (`persist-credentials: false`, `enable-cache: false`)
 * or remove one, keeping the document's indentation, comments, quoting elsewhere and line endings.
 */
import { isMap, type YAMLMap } from 'yaml';
import type { ParsedFile } from '../parse/document';
import type { StepView } from '../parse/views';
import { isNullValue } from '../parse/yaml-nodes';
import type { OffsetEdit } from '../findings';
import { indentStep } from './edits';

/** Edits that make `step.with[name]` equal `value` (written as given, e.g. `false`); null when the shape is too odd to edit safely. */
export function setStepInput(file: ParsedFile, step: StepView, name: string, value: string): OffsetEdit[] | null {
  const lines = file.lines;
  const eol = lines.eol;
  const withEntry = step.get('with');
  const existing = step.with.get(name);
  if (existing) {
    if (existing.value && !('value' in existing.value)) return null;
    return [
      {
        span:
          existing.valueSpan.end > existing.valueSpan.start
            ? existing.valueSpan
            : { start: existing.keySpan.end + 1, end: existing.keySpan.end + 1 },
        newText: existing.valueSpan.end > existing.valueSpan.start ? value : ` ${value}`,
      },
    ];
  }
  const stepMap = step.map;
  if (!stepMap || stepMap.flow) return null;
  if (withEntry && withEntry.value && isMap(withEntry.value)) {
    const map = withEntry.value as YAMLMap;
    const first = step.with.entries[0];
    if (map.flow) {
      const end = withEntry.valueSpan.end;
      if (file.text[end - 1] !== '}') return null;
      const last = step.with.entries[step.with.entries.length - 1];
      if (!last) return [{ span: { start: end - 1, end: end - 1 }, newText: `${name}: ${value}` }];
      const at = Math.max(last.valueSpan.end, last.keySpan.end);
      return [{ span: { start: at, end: at }, newText: `, ${name}: ${value}` }];
    }
    if (!first) return null;
    const line = lines.lineAt(first.keySpan.start);
    const column = first.keySpan.start - lines.lineStarts[line];
    if (lines.lineText(line).slice(0, column).trim() !== '') return null;
    // Insert as the first input, at its indentation (comments above the first input stay attached to it).
    let at = line;
    const indent = ' '.repeat(column);
    while (at > 0 && /^\s*#/.test(lines.lineText(at - 1)) && lines.indentation(at - 1) === indent) at--;
    return [{ span: { start: lines.lineStarts[at], end: lines.lineStarts[at] }, newText: `${indent}${name}: ${value}${eol}` }];
  }
  if (withEntry && !isNullValue(withEntry.value)) return null;
  // Key column of the step's own keys.
  const anchor = withEntry ?? step.uses ?? step.entries[0];
  if (!anchor) return null;
  const anchorLine = lines.lineAt(anchor.keySpan.start);
  const column = anchor.keySpan.start - lines.lineStarts[anchorLine];
  const unit = indentStep(file);
  const indent = ' '.repeat(column);
  if (withEntry) {
    // `with:` with no value: add the input on the next line.
    const lineEnd = lines.lineContentEnd(anchorLine);
    const after = file.text.slice(withEntry.keySpan.end, lineEnd);
    if (!/^:\s*(#.*)?$/.test(after)) return null;
    return [{ span: { start: lineEnd, end: lineEnd }, newText: `${eol}${indent}${unit}${name}: ${value}` }];
  }
  const valueEnd = Math.max(anchor.valueSpan.end, anchor.keySpan.end);
  const endLine = lines.lineAt(valueEnd);
  const lineEnd = lines.lineContentEnd(endLine);
  if (file.text.slice(valueEnd, lineEnd).trim() !== '' && !/^\s*#/.test(file.text.slice(valueEnd, lineEnd))) return null;
  return [{ span: { start: lineEnd, end: lineEnd }, newText: `${eol}${indent}with:${eol}${indent}${unit}${name}: ${value}` }];
}

/** Edits removing the line of `step.with[name]` (a single-line scalar input); null otherwise. */
export function removeStepInput(file: ParsedFile, step: StepView, name: string): OffsetEdit[] | null {
  const entry = step.with.get(name);
  const withEntry = step.get('with');
  if (!entry || !withEntry || !withEntry.value || !isMap(withEntry.value) || (withEntry.value as YAMLMap).flow) return null;
  const lines = file.lines;
  const line = lines.lineAt(entry.keySpan.start);
  if (lines.lineAt(Math.max(entry.valueSpan.end - 1, entry.keySpan.end)) !== line) return null;
  if (
    lines
      .lineText(line)
      .slice(0, entry.keySpan.start - lines.lineStarts[line])
      .trim() !== ''
  )
    return null;
  if (step.with.entries.length === 1) {
    // Removing the only input would leave `with:` empty: set it to an explicit off value instead.
    return null;
  }
  const start = lines.lineStarts[line];
  const end = line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : file.text.length;
  return [{ span: { start, end }, newText: '' }];
}
