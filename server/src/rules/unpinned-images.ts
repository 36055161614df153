import type { ParsedFile } from '../parse/document';
import { contextPathSegments, findExpressions, valueLeaves } from '../parse/expressions';
import type { Span } from '../parse/text';
import { MapView, type JobView } from '../parse/views';
import { asMap, asSeq, mapEntries, scalarText, seqItems, spannedString, type YamlNode } from '../parse/yaml-nodes';
import type { Rule, RuleContext } from './types';
import { parseImage } from '../parse/uses';

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/i;

/**
 * The scalar at `path` below `node` (`[]`: the node itself); '' when a row that is an object lacks the field
 * (the expression is then empty: no container), null when the value is not known (not an object, not a scalar).
 */
function scalarAt(node: YamlNode | null, path: readonly string[], job: JobView): string | null {
  let current = node;
  for (const key of path) {
    const map = asMap(current);
    if (!map) return null;
    const entry = mapEntries(map, job.doc).find((candidate) => candidate.key === key);
    if (!entry) return '';
    current = entry.value;
  }
  return scalarText(current);
}

/**
 * Values a `matrix.<key>` (or `matrix.<key>.<field>…`, over rows that are objects) can take from the job's
 * static matrix, or null when they cannot be known.
 */
function matrixValues(job: JobView | null, key: string, rest: readonly string[]): string[] | null {
  if (!job) return null;
  const matrixEntry = job.strategy.get('matrix');
  const matrix = asMap(matrixEntry?.value ?? null);
  if (!matrix) return null;
  const values: string[] = [];
  let found = false;
  for (const entry of mapEntries(matrix, job.doc)) {
    if (entry.key === key) {
      const seq = asSeq(entry.value);
      if (!seq) return null;
      for (const item of seqItems(seq, job.doc)) {
        const text = scalarAt(item, rest, job);
        if (text === null) return null;
        values.push(text);
      }
      found = true;
    } else if (entry.key === 'include') {
      for (const item of seqItems(asSeq(entry.value), job.doc)) {
        for (const row of mapEntries(asMap(item), job.doc)) {
          if (row.key !== key) continue;
          const text = scalarAt(row.value, rest, job);
          if (text === null) return null;
          values.push(text);
          found = true;
        }
      }
    }
  }
  return found ? values : null;
}

/** The concrete image strings a written value can expand to, or null when some part is opaque. */
function expansions(value: string, job: JobView | null): string[] | null {
  const occurrences = findExpressions(value);
  if (occurrences.length === 0) return [value];
  let results = [''];
  let cursor = 0;
  for (const occurrence of occurrences) {
    const literal = value.slice(cursor, occurrence.start);
    const ast = occurrence.parsed.ast;
    if (!occurrence.terminated || !ast) return null;
    const leaves = valueLeaves(ast);
    const options: string[] = [];
    for (const leaf of leaves) {
      if (leaf.type === 'literal') {
        options.push(leaf.value === null ? '' : String(leaf.value));
        continue;
      }
      const segments = contextPathSegments(leaf);
      if (!segments || segments[0] !== 'matrix' || segments.length < 2) return null;
      const values = matrixValues(job, segments[1], segments.slice(2));
      if (!values) return null;
      options.push(...values);
    }
    if (options.length === 0) return null;
    const next: string[] = [];
    for (const prefix of results) for (const option of options) next.push(prefix + literal + option);
    if (next.length > 256) return null;
    results = next;
    cursor = occurrence.end;
  }
  return results.map((prefix) => prefix + value.slice(cursor));
}

function checkImage(ctx: RuleContext, where: string, value: string, span: Span, job: JobView | null): void {
  if (value.trim() === '') return;
  const candidates = expansions(value, job);
  if (candidates === null) {
    ctx.report({
      span,
      message: `${where} image \`${value}\` is computed from an expression, so it cannot be checked for a digest pin`,
      confidence: 'low',
    });
    return;
  }
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate) || candidate.trim() === '') continue;
    seen.add(candidate);
    const image = parseImage(candidate);
    if (image.digest && DIGEST_RE.test(image.digest)) continue;
    const shown = candidate === value ? `\`${value}\`` : `\`${candidate}\` (from \`${value}\`)`;
    if (image.tag === null || image.tag === 'latest') {
      ctx.report({
        span,
        message: `${where} image ${shown} ${image.tag === null ? 'has no tag, so it means `:latest`' : 'uses `:latest`'}, which changes whenever the image is pushed: pin it by digest (\`${image.name}@sha256:…\`)`,
      });
    } else {
      ctx.report({
        span,
        message: `${where} image ${shown} is pinned to tag \`${image.tag}\`, which can be re-pushed: pin it by digest (\`${image.name}:${image.tag}@sha256:…\`)`,
        persona: 'pedantic',
      });
    }
  }
}

/** `container:` / a service: either a string or a mapping with `image:`. */
function checkContainer(ctx: RuleContext, where: string, node: YamlNode | null, view: MapView, job: JobView): void {
  const direct = spannedString(node);
  if (direct) {
    checkImage(ctx, where, direct.value, direct.span, job);
    return;
  }
  const map = asMap(node);
  if (!map) return;
  const image = new MapView(map, view.doc).string('image');
  if (image) checkImage(ctx, where, image.value, image.span, job);
}

export const unpinnedImages: Rule = {
  id: 'unpinned-images',
  title: 'Container image not pinned by digest',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A job container, service container, `docker://` step or Docker action names its image by tag (or no tag at all), so whoever can push to that tag decides what runs.',
    why: 'In the 2026 Trivy compromise (CVE-2026-33634) the attacker published a malicious `trivy` 0.69.4 to GitHub Releases, GHCR and Docker Hub under the normal tags; anyone pulling by tag got the credential stealer. Only a `@sha256:` digest names fixed content.',
    fix: 'Append the digest: `image: node:22@sha256:<64 hex>` (keep the tag for readers). `docker buildx imagetools inspect <image>` prints it; Dependabot and Renovate update digests.',
  },
  check(ctx) {
    const file: ParsedFile = ctx.file;
    if (file.workflow) {
      for (const job of file.workflow.jobs) {
        const container = job.container;
        if (container) checkContainer(ctx, `Job \`${job.id}\` container`, container.value, job, job);
        for (const service of job.services.entries) {
          checkContainer(ctx, `Service \`${service.key}\` of job \`${job.id}\``, service.value, job, job);
        }
      }
    }
    if (file.action) {
      const image = spannedString(file.action.image?.value ?? null);
      if (image && image.value.startsWith('docker://')) {
        checkImage(ctx, 'Docker action', image.value.slice('docker://'.length), image.span, null);
      }
    }
    for (const site of file.uses) {
      if (site.reference.kind !== 'docker') continue;
      const span = site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan;
      checkImage(ctx, `Step \`${site.step?.label ?? 'uses'}\``, site.value.trim().slice('docker://'.length), span, site.job);
    }
  },
};
