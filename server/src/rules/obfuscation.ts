import { walkExpression, type ExprNode } from '../parse/expressions';
import { evaluatedExpressions } from './support/evaluated-expressions';
import type { Rule, RuleContext } from './types';
import type { Fix } from '../findings';
import { isMap } from 'yaml';
import { scalarText } from '../parse/yaml-nodes';
import { normalizeUsesPath, normalizedUses } from '../parse/uses';

export { normalizeUsesPath };

type Constant = string | number | boolean | null;

/** GitHub's truthiness: `false`, `0`, `-0`, `NaN`, `''` and `null` are false. */
function truthy(value: Constant): boolean {
  return value !== null && value !== false && value !== 0 && value !== '' && !Number.isNaN(value);
}

/** GitHub's number coercion for comparisons of mixed types. */
function toNumber(value: Constant): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  return trimmed === '' ? 0 : Number(trimmed);
}

function toText(value: Constant): string {
  return value === null ? '' : String(value);
}

function compare(op: string, left: Constant, right: Constant): boolean {
  if (typeof left === 'string' && typeof right === 'string') {
    const [a, b] = [left.toLowerCase(), right.toLowerCase()];
    if (op === '==') return a === b;
    if (op === '!=') return a !== b;
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  if (typeof left === typeof right && (op === '==' || op === '!=')) return (left === right) === (op === '==');
  const [a, b] = [toNumber(left), toNumber(right)];
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** `format()` with constant arguments: `{N}` replaced, `{{`/`}}` unescaped; undefined for a bad template. */
function formatConstant(template: string, args: readonly Constant[]): string | undefined {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if ((char === '{' || char === '}') && template[i + 1] === char) {
      out += char;
      i++;
    } else if (char === '{') {
      const close = template.indexOf('}', i);
      const digits = close === -1 ? '' : template.slice(i + 1, close);
      if (!/^\d{1,3}$/.test(digits) || Number(digits) >= args.length) return undefined;
      out += toText(args[Number(digits)]);
      i = close;
    } else if (char === '}') return undefined;
    else out += char;
  }
  return out;
}

/** Calls with only constant arguments whose result is fixed (nested `format()` included). */
const CONSTANT_CALLS = new Set(['format', 'startswith', 'endswith', 'contains', 'join']);

/**
 * The value of an expression built only from literals, operators and the functions of CONSTANT_CALLS
 * (GitHub's semantics: case-insensitive string comparison, `&&`/`||` yield an operand), or undefined when
 * it depends on anything else. Depth-bounded.
 */
export function constantValue(node: ExprNode, depth = 0): Constant | undefined {
  if (depth > 64) return undefined;
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'group':
      return constantValue(node.expr, depth + 1);
    case 'unary': {
      const operand = constantValue(node.operand, depth + 1);
      return operand === undefined ? undefined : !truthy(operand);
    }
    case 'binary': {
      const left = constantValue(node.left, depth + 1);
      if (left === undefined) return undefined;
      const right = constantValue(node.right, depth + 1);
      if (right === undefined) return undefined;
      if (node.op === '&&') return truthy(left) ? right : left;
      if (node.op === '||') return truthy(left) ? left : right;
      return compare(node.op, left, right);
    }
    case 'call': {
      const name = node.name.toLowerCase();
      if (!CONSTANT_CALLS.has(name)) return undefined;
      const args: Constant[] = [];
      for (const arg of node.args) {
        const value = constantValue(arg, depth + 1);
        if (value === undefined) return undefined;
        args.push(value);
      }
      if (name === 'format') return typeof args[0] === 'string' ? formatConstant(args[0], args.slice(1)) : undefined;
      if (name === 'join') return args.length >= 1 && typeof args[0] === 'string' ? args[0] : undefined;
      if (args.length !== 2) return undefined;
      const [haystack, needle] = [toText(args[0]).toLowerCase(), toText(args[1]).toLowerCase()];
      if (typeof args[0] !== 'string') return undefined;
      return name === 'startswith'
        ? haystack.startsWith(needle)
        : name === 'endswith'
          ? haystack.endsWith(needle)
          : haystack.includes(needle);
    }
    default:
      return undefined;
  }
}

/** True for a lone literal, possibly in parentheses. */
function isLiteral(node: ExprNode): boolean {
  return node.type === 'literal' || (node.type === 'group' && isLiteral(node.expr));
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
      "A `uses:` path with `.`, `..` or empty segments, a `${{ }}` or `if:` that only computes a constant (`${{ 'curl' }}`, `${{ format('{0}', 'x') }}`, `if: 1 != 2`), a computed key or a computed `with:` hides what the workflow does from reviewers and scanners.",
    why: 'Reviewers and pattern-based scanners look for `actions/checkout`, `curl … | sh` or `pull_request_target` as written; attackers who plant or propose workflow changes (GhostAction 2025, Shai-Hulud 2025 planted exfiltration workflows in thousands of repositories) benefit from spellings that do not match. Legitimate workflows never need them.',
    fix: 'Write the plain form; the quick fix replaces the path with its normalised form, and a constant expression with its value when that value is plain text.',
  },
  check(ctx) {
    checkUsesPaths(ctx);
    checkComputedWith(ctx);
    for (const expression of evaluatedExpressions(ctx.file)) {
      const tree = expression.tree;
      if (!tree || !expression.exact) continue;
      reportComputedIndices(ctx, expression.text, expression.span, tree);
      const value = constantValue(tree);
      if (value === undefined) continue;
      const span = expression.fence ?? expression.span;
      const written = ctx.file.text.slice(span.start, span.end);
      if (expression.isCondition) {
        const always = truthy(value);
        // `if: false` / `if: ${{ false }}` is the usual way to switch a job or step off: not hidden.
        if (!always && isLiteral(tree)) continue;
        ctx.report({
          span,
          message: always
            ? `\`${written}\` is always true: the condition does nothing`
            : `\`${written}\` is always false: what it guards never runs, which \`false\` would say plainly`,
          persona: isLiteral(tree) ? 'pedantic' : 'regular',
        });
        continue;
      }
      if (!expression.fence || typeof value !== 'string') continue;
      if (value.includes('${{') || value.includes('}}')) continue;
      const fixes: Fix[] = SAFE_TEXT.test(value)
        ? [{ title: `Replace with \`${value}\``, isPreferred: true, safety: 'safe', edits: [{ span, newText: value }] }]
        : [];
      ctx.report({ span, message: `\`${written}\` always evaluates to \`${value}\`: write the text itself`, fixes });
    }
  },
};

/** `inputs[inputs.k]`, `secrets[format(...)]`: an index computed at run time hides which value is read (pedantic). */
function reportComputedIndices(ctx: RuleContext, text: string, span: { start: number }, tree: ExprNode): void {
  walkExpression(tree, (node) => {
    if (node.type !== 'index' || isLiteral(node.index)) return;
    if (constantValue(node.index) !== undefined) {
      ctx.report({
        span: { start: span.start + node.index.start, end: span.start + node.index.end },
        message: `\`${text.slice(node.start, node.end)}\` computes a constant key: write it plainly`,
      });
      return;
    }
    ctx.report({
      span: { start: span.start + node.start, end: span.start + node.end },
      message: `\`${text.slice(node.start, node.end)}\` reads a key computed at run time: reviewers and scanners cannot tell which value is read`,
      severity: 'low',
      confidence: 'low',
      persona: 'pedantic',
    });
  });
}

/** `with: ${{ fromJSON(x) }}`: the inputs a step gives its action, computed at run time. */
function checkComputedWith(ctx: RuleContext): void {
  const steps = [...(ctx.file.workflow?.jobs.flatMap((job) => job.steps) ?? []), ...(ctx.file.action?.steps ?? [])];
  for (const step of steps) {
    const entry = step.get('with');
    const text = entry?.value && !isMap(entry.value) ? scalarText(entry.value) : null;
    if (!entry || text === null || !text.includes('${{')) continue;
    ctx.report({
      span: entry.valueSpan,
      message: `\`with: ${text.trim()}\` computes the step's inputs at run time: reviewers and scanners cannot see what the action receives`,
    });
  }
}
