/**
 * `secrets-forwarded`: a secret (or `github.token`) handed to a fetched dependency — a composite action's
 * `with:` input, a reusable workflow's `secrets:` entry or `secrets: inherit` — that the dependency forwards
 * somewhere risky (dependencies/secrets.ts says where). Reported on the caller's line holding the secret,
 * with the chain in the message and related locations at each hop inside the dependencies. It reads only
 * the fetched files of the dependency walk: offline (no walk) it never reports.
 */
import { where } from '../dependencies/chain';
import { followSecret, privilegedCaller, type FollowContext, type Leak, type Tracked } from '../dependencies/secrets';
import { usesPath } from '../dependencies/walk';
import type { RelatedSpan } from '../findings';
import type { ExpressionSite, ParsedFile, UsesSite } from '../parse/document';
import { contextPath, valueLeaves } from '../parse/expressions';
import type { Span } from '../parse/text';
import { scalarText, type Entry } from '../parse/yaml-nodes';
import { lockableUses } from '../resolve/lock-entry';
import type { DependencyView, FetchedAction } from '../views';
import type { Rule, RuleContext } from './types';

/** The secret an expression's value carries (`secrets.NPM_TOKEN`, `github.token`), as written; null when none. */
function secretIn(site: ExpressionSite): string | null {
  const ast = site.occurrence.terminated ? site.occurrence.parsed.ast : null;
  if (!ast) return null;
  for (const leaf of valueLeaves(ast)) {
    if (leaf.type === 'literal') continue;
    const path = contextPath(leaf, { computedIndexAsWildcard: true });
    if (!path) continue;
    const lower = path.toLowerCase();
    if ((lower.startsWith('secrets.') && lower.length > 8) || lower === 'github.token') return path;
  }
  return null;
}

function fetchedFor(site: UsesSite, view: DependencyView): FetchedAction | null {
  const uses = lockableUses(site.value);
  if (!uses) return null;
  const commit = view.commitOf?.(uses.owner, uses.repo, uses.ref as string);
  if (!commit) return null;
  const fetched = view.action(uses.owner, uses.repo, usesPath(uses), commit);
  return fetched.available ? fetched.value : null;
}

/** The expression sites written inside the values of `entries`, with the entry each is in. */
function sitesIn(file: ParsedFile, entries: readonly Entry[]): { site: ExpressionSite; entry: Entry }[] {
  const byScalar = new Map<unknown, Entry>();
  for (const entry of entries) if (entry.value) byScalar.set(entry.value, entry);
  if (byScalar.size === 0) return [];
  const out: { site: ExpressionSite; entry: Entry }[] = [];
  for (const site of file.expressions) {
    const entry = byScalar.get(site.scalar);
    if (entry) out.push({ site, entry });
  }
  return out;
}

function describe(leak: Leak): { chain: string; related: RelatedSpan[] } {
  const last = leak.hops.length - 1;
  const parts: string[] = [];
  const related: RelatedSpan[] = [];
  leak.hops.forEach((hop, index) => {
    const line = hop.action.file.lines.range(hop.span).start.line;
    const at = where(hop.action, line);
    parts.push(index === last ? `${at} (\`${hop.name}\`) ${leak.what}` : `${at} passes \`${hop.name}\` on`);
    related.push({
      span: hop.span,
      message:
        index === last
          ? `here it ${leak.what.replace(/^(\S+) it\b/, '$1 `' + hop.name + '`')} (${at})`
          : `\`${hop.name}\` is passed on here (${at})`,
      file: { uri: hop.action.url ?? hop.action.file.uri, lines: hop.action.file.lines },
    });
  });
  return { chain: parts.join(' → '), related };
}

function report(context: RuleContext, span: Span, given: string, leak: Leak, target: string): void {
  const { chain, related } = describe(leak);
  context.report({
    span,
    message: `${given} ${target}: ${chain}`,
    severity: leak.severity,
    related,
  });
}

export const secretsForwarded: Rule = {
  id: 'secrets-forwarded',
  title: 'Secret passed to a dependency that forwards it somewhere risky',
  kinds: ['workflow', 'action'],
  severity: 'medium',
  confidence: 'medium',
  persona: 'auditor',
  online: false,
  reads: ['dependencies'],
  docs: {
    summary:
      'A secret or `github.token` handed to an action or reusable workflow that passes it on to an unpinned action, writes it to `$GITHUB_ENV`/`$GITHUB_OUTPUT`/`$GITHUB_PATH`, sends it to a host, prints it, or gives it to a job running pull request code.',
    why: 'In March 2025 tj-actions/changed-files printed the secrets of the workflows running it to their logs after reviewdog/action-setup, which it ran by a mutable tag, was compromised (CVE-2025-30066, CVE-2025-30154): a secret handed to a pinned action is only as safe as what that action does with it.',
    fix: "Pass the secret only to dependencies that use it themselves, pin what they hand it to (or ask their authors to), or call the service with the secret in your own step. Where the dependency's use is intended (an upload to the service the secret is for), suppress the finding on that line.",
  },
  check(context) {
    const { file, dependencies } = context;
    if (!dependencies.available) return;
    const view = dependencies.value;
    const follow: FollowContext = { view, privilegedCaller: privilegedCaller(file) };
    for (const site of file.uses) {
      const fetched = fetchedFor(site, view);
      if (!fetched) continue;
      if (site.step) {
        if (fetched.file.kind !== 'action' || !fetched.file.action?.isComposite) continue;
        for (const { site: expression, entry } of sitesIn(file, site.step.with.entries)) {
          const secret = secretIn(expression);
          if (!secret) continue;
          const tracked: Tracked = { context: 'inputs', name: entry.key.toLowerCase() };
          const leak = followSecret(fetched, tracked, follow);
          if (!leak) continue;
          const span = { start: expression.occurrence.start, end: expression.occurrence.end };
          report(context, span, `\`${secret}\` is passed as \`${entry.key}\` to`, leak, `\`${site.value}\``);
        }
        continue;
      }
      const job = site.job;
      if (!job || fetched.file.kind !== 'workflow' || !job.secrets) continue;
      if (scalarText(job.secrets.value) === 'inherit') {
        const tracked: Tracked = { context: 'secrets', name: null };
        const leak = followSecret(fetched, tracked, follow);
        if (leak) report(context, job.secrets.valueSpan, `every secret (\`secrets: inherit\`) is passed to`, leak, `\`${site.value}\``);
        continue;
      }
      for (const { site: expression, entry } of sitesIn(file, job.child('secrets').entries)) {
        const secret = secretIn(expression);
        if (!secret) continue;
        const tracked: Tracked = { context: 'secrets', name: entry.key.toLowerCase() };
        const leak = followSecret(fetched, tracked, follow);
        if (!leak) continue;
        const span = { start: expression.occurrence.start, end: expression.occurrence.end };
        report(context, span, `\`${secret}\` is passed as secret \`${entry.key}\` to`, leak, `\`${site.value}\``);
      }
    }
  },
};
