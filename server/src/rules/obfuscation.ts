import { walkExpression, type ExprNode } from '../parse/expressions';
import { evaluatedExpressions } from './support/evaluated-expressions';
import type { Rule, RuleContext } from './types';
import type { Fix } from '../findings';
import { normalizeUsesPath, normalizedUses } from '../parse/uses';

export { normalizeUsesPath };

/** The constant string value of an expression built only from literals, or undefined when it is not constant. */
function constantString(node: ExprNode): string | undefined {
  let constant = true;
  walkExpression(node, (n) => {
    if (n.type === 'context' || n.type === 'property' || n.type === 'index' || n.type === 'wildcard') constant = false;
    if (n.type === 'call' && !['format', 'join', 'tojson'].includes(n.name.toLowerCase())) constant = false;
  });
  if (!constant) return undefined;
  const inner = node.type === 'group' ? node.expr : node;
  if (inner.type === 'literal' && inner.kind === 'string') return String(inner.value);
  if (inner.type === 'call' && inner.name.toLowerCase() === 'format' && inner.args.every((a) => a.type === 'literal')) {
    const [template, ...args] = inner.args.map((a) => (a.type === 'literal' ? (a.value === null ? '' : String(a.value)) : ''));
    let broken = false;
    const result = template.replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index: string | undefined) => {
      if (match === '{{') return '{';
      if (match === '}}') return '}';
      const i = Number(index);
      if (i >= args.length) broken = true;
      return args[i] ?? '';
    });
    return broken ? undefined : result;
  }
  if (inner.type === 'call') return '';
  return undefined;
}

const SAFE_TEXT = /^[A-Za-z0-9_./@+=-]+$/;

function checkUsesPaths(ctx: RuleContext): void {
  for (const site of ctx.file.uses) {
    const reference = site.reference;
    const span = site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan;
    let normalized: string | null = null;
    if (reference.kind === 'remote' && reference.obscured?.kind === 'escapes') {
      ctx.report({
        span,
        message: `\`${site.value.trim()}\` fetches ${reference.repository} but its \`..\` segments point outside that repository, at \`${normalizeUsesPath(reference.obscured.written.split('/')).join('/')}\``,
      });
      continue;
    }
    if (reference.kind === 'remote') {
      normalized = normalizedUses(reference);
    } else if (reference.kind === 'local' || reference.kind === 'self') {
      const prefix = reference.kind === 'local' ? './' : '$/';
      const rest = reference.kind === 'local' ? reference.path.replace(/^\.\/?/, '') : reference.path;
      const raw = rest.split('/');
      const clean = normalizeUsesPath(raw);
      if (
        clean.join('/') !== raw.join('/') &&
        !(raw.length > 0 && raw[raw.length - 1] === '' && clean.join('/') === raw.slice(0, -1).join('/'))
      ) {
        normalized = prefix + clean.join('/');
      }
    }
    if (normalized === null) continue;
    const fixes: Fix[] = site.exact
      ? [{ title: `Write it as \`${normalized}\``, isPreferred: true, safety: 'safe', edits: [{ span, newText: normalized }] }]
      : [];
    ctx.report({
      span,
      message: `\`${site.value.trim()}\` hides its target behind \`.\`, \`..\` or empty path segments; it is \`${normalized}\``,
      fixes,
    });
  }
}

export const obfuscation: Rule = {
  id: 'obfuscation',
  title: 'Needlessly obscured action path or expression',
  kinds: ['workflow', 'action'],
  severity: 'low',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      "A `uses:` path with `.`, `..` or empty segments, or a `${{ }}` that only computes a constant (`${{ 'curl' }}`, `${{ format('{0}', 'x') }}`), hides what the workflow does from reviewers and scanners.",
    why: 'Reviewers and pattern-based scanners look for `actions/checkout`, `curl … | sh` or `pull_request_target` as written; attackers who plant or propose workflow changes (GhostAction 2025, Shai-Hulud 2025 planted exfiltration workflows in thousands of repositories) benefit from spellings that do not match. Legitimate workflows never need them.',
    fix: 'Write the plain form; the quick fix replaces the path with its normalised form, and a constant expression with its value when that value is plain text.',
  },
  check(ctx) {
    checkUsesPaths(ctx);
    for (const expression of evaluatedExpressions(ctx.file)) {
      if (!expression.fence || expression.isCondition || !expression.exact || !expression.tree) continue;
      const value = constantString(expression.tree);
      if (value === undefined || value.includes('${{') || value.includes('}}')) continue;
      const fence = expression.fence;
      const fixes: Fix[] = SAFE_TEXT.test(value)
        ? [{ title: `Replace with \`${value}\``, isPreferred: true, safety: 'safe', edits: [{ span: fence, newText: value }] }]
        : [];
      ctx.report({
        span: fence,
        message: `\`${ctx.file.text.slice(fence.start, fence.end)}\` always evaluates to \`${value}\`: write the text itself`,
        fixes,
      });
    }
  },
};
