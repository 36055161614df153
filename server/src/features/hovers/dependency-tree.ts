/**
 * Hover on a remote `uses:`: the dependency tree, as the walk read it at the commit the reference resolves
 * to (features/online.ts keeps the graph on the parsed file; the hover never fetches). What the action runs:
 * the `uses:` of its composite steps (or of a reusable workflow's jobs), each pinned, mutable or
 * vulnerable, followed a few levels; a Docker image with its digest or without; a JavaScript action's
 * entry point. Offline, it says what would be shown online.
 */
import type { Analysis } from '../../document-cache';
import { dependenciesOf } from '../../dependencies/follow';
import { usesPath, type DependencyGraph } from '../../dependencies/walk';
import { dependencyOwnFindings } from '../../engine';
import type { Finding } from '../../findings';
import type { ParsedFile } from '../../parse/document';
import { parseUses } from '../../parse/uses';
import { lockableUses } from '../../resolve/lock-entry';
import { snapshotOf } from '../../resolve/snapshot';
import type { FetchedAction } from '../../views';
import { inside, type HoverSection } from '../hover';
import { markdownLinkTarget, markdownMessage } from './markdown';

/** Levels of the tree shown below the hovered action (then "…"). */
export const TREE_DEPTH = 3;
/** `uses:` lines shown per action (then how many more). */
export const TREE_WIDTH = 12;
const MAX_TEXT = 100;

/** Text from a fetched file inside a code span: no backtick, line break or control character; bounded. */
function code(text: string): string {
  let safe = '';
  for (const char of text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text) {
    const point = char.codePointAt(0) ?? 0;
    safe += char === '`' || point < 0x20 || point === 0x7f || (point >= 0x80 && point < 0xa0) ? '?' : char;
  }
  return `\`${safe}\``;
}

export const OFFLINE_TREE =
  '_Dependency tree: online, this shows what the action runs at its commit (the `uses:` of its composite steps, each pinned, mutable or vulnerable; its Docker image and whether it has a digest; its Node.js entry point), read from its `action.yml`._';

function vulnerability(file: ParsedFile, span: { start: number; end: number }): Finding | undefined {
  return dependencyOwnFindings(file).find(
    (finding) => finding.ruleId === 'known-vulnerable-actions' && finding.span.start >= span.start && finding.span.end <= span.end,
  );
}

/** The lines of what `action` runs, indented `depth` levels; `stack` holds the actions above (cycles). */
function runsLines(graph: DependencyGraph, action: FetchedAction, depth: number, stack: ReadonlySet<FetchedAction>): string[] {
  const indent = '  '.repeat(depth);
  const file = action.file;
  const lines: string[] = [];
  if (file.kind === 'action' && file.action) {
    const using = file.action.using?.value;
    if (using === 'docker') {
      const image = file.action.runs.string('image')?.value;
      if (image === undefined) lines.push(`${indent}- Docker action without an image`);
      else if (image.startsWith('docker://')) lines.push(`${indent}- ${imageLine(image.slice('docker://'.length))}`);
      else lines.push(`${indent}- Docker image built from ${code(image)} at this commit (its base image is not read)`);
      return lines;
    }
    if (using !== 'composite') {
      const main = file.action.runs.string('main')?.value;
      const hooks = ['pre', 'post'].map((key) => file.action?.runs.string(key)?.value).filter((value): value is string => !!value);
      lines.push(
        using === undefined
          ? `${indent}- no \`runs.using\``
          : `${indent}- ${code(using)} runs ${main ? code(main) : 'no `main`'}${hooks.length > 0 ? ` (also ${hooks.map(code).join(', ')})` : ''}`,
      );
      return lines;
    }
  }
  const sites = file.uses;
  if (sites.length === 0) {
    lines.push(`${indent}- ${file.kind === 'workflow' ? 'no job or step `uses:`' : 'only `run:` steps'}`);
    return lines;
  }
  for (const site of sites.slice(0, TREE_WIDTH)) lines.push(...usesLines(graph, action, site, depth, stack));
  if (sites.length > TREE_WIDTH) lines.push(`${indent}- … and ${sites.length - TREE_WIDTH} more`);
  return lines;
}

function imageLine(image: string): string {
  return image.includes('@sha256:')
    ? `Docker image ${code(image)}: pinned by digest`
    : `Docker image ${code(image)}: **mutable** (no \`@sha256:\` digest: the tag can be re-pushed)`;
}

function usesLines(
  graph: DependencyGraph,
  parent: FetchedAction,
  site: ParsedFile['uses'][number],
  depth: number,
  stack: ReadonlySet<FetchedAction>,
): string[] {
  const indent = '  '.repeat(depth);
  const value = site.value;
  const reference = parseUses(value);
  if (reference.kind === 'docker') return [`${indent}- ${imageLine(value.slice('docker://'.length))}`];
  if (reference.kind !== 'remote') return [`${indent}- ${code(value)}: not a remote action (not followed)`];
  const uses = lockableUses(value);
  if (!uses) return [`${indent}- ${code(value)}: no ref that can be followed`];
  const vulnerable = vulnerability(parent.file, site.entry.valueSpan);
  const state = vulnerable
    ? `⚠ **vulnerable**: ${markdownMessage(vulnerable.message)}`
    : uses.refKind === 'sha'
      ? 'pinned'
      : `**mutable** (${code(uses.ref as string)} can be moved)`;
  const head = `${indent}- ${code(value)}: ${state}`;
  const commit = graph.commitOf(uses.owner, uses.repo, uses.ref as string);
  if (!commit) return [head];
  const fetched = graph.action(uses.owner, uses.repo, usesPath(uses), commit);
  if (!fetched.available)
    return fetched.reason === 'failed' && fetched.detail ? [`${head} (not read: ${markdownMessage(fetched.detail)})`] : [head];
  if (stack.has(fetched.value)) return [`${head} (already above: a cycle)`];
  if (depth + 1 >= TREE_DEPTH) return [head, `${indent}  - …`];
  return [head, ...runsLines(graph, fetched.value, depth + 1, new Set([...stack, fetched.value]))];
}

export function dependencyTreeHover(analysis: Analysis, offset: number): HoverSection[] {
  const file = analysis.file;
  const site = file.uses.find((candidate) => inside(candidate.entry.valueSpan, offset));
  const uses = site && lockableUses(site.value);
  if (!site || !uses) return [];
  const span = site.entry.valueSpan;
  if (snapshotOf(file)?.offline) return [{ markdown: OFFLINE_TREE, span }];
  const graph = dependenciesOf(file);
  if (!graph) return [];
  const commit = graph.commitOf(uses.owner, uses.repo, uses.ref as string);
  if (!commit) return [];
  const fetched = graph.action(uses.owner, uses.repo, usesPath(uses), commit);
  if (!fetched.available) {
    return fetched.reason === 'failed' && fetched.detail
      ? [{ markdown: `**Dependency tree**: not read: ${markdownMessage(fetched.detail)}.`, span }]
      : [];
  }
  const action = fetched.value;
  const title = `**Dependency tree** at ${code(commit.slice(0, 12))} (${action.url ? `[${code(action.fileName ?? 'action.yml')}](${markdownLinkTarget(action.url)})` : code(action.fileName ?? 'action.yml')}):`;
  const lines = runsLines(graph, action, 0, new Set([action]));
  return [{ markdown: [title, ...lines].join('\n'), span }];
}
