import { walkExpression, type ExprNode } from '../parse/expressions';
import { evaluatedExpressions } from './support/evaluated-expressions';
import type { Rule } from './types';

function unwrap(node: ExprNode): ExprNode {
  while (node.type === 'group') node = node.expr;
  return node;
}

function isFalsyLiteral(node: ExprNode): boolean {
  const inner = unwrap(node);
  if (inner.type !== 'literal') return false;
  return inner.value === false || inner.value === null || inner.value === '' || inner.value === 0;
}

export const unsoundTernary: Rule = {
  id: 'unsound-ternary',
  title: '`cond && <falsy> || other` never yields the falsy value',
  kinds: ['workflow', 'action'],
  severity: 'low',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      "The `a && b || c` idiom returns `c` whenever `b` is falsy, so `cond && '' || 'x'` or `cond && false || true` always gives the right-hand side.",
    why: "Expressions have no ternary operator before `case()`; the `&&`/`||` idiom is everywhere, and with a falsy middle value it silently inverts: `${{ github.event_name == 'push' && false || true }}` is always `true`, so a flag meant to be off for pushes (a dry run, `--no-publish`) is on.",
    fix: "Swap the branches and negate the condition (`!cond && 'x' || ''`), or use `case(cond, '', 'x')`.",
  },
  check({ file, report }) {
    for (const expression of evaluatedExpressions(file)) {
      if (!expression.text.includes('&&') || !expression.text.includes('||')) continue;
      const ast = expression.parsed.ast;
      if (!ast || !expression.exact) continue;
      walkExpression(ast, (node: ExprNode) => {
        if (node.type !== 'binary' || node.op !== '||') return;
        const left = unwrap(node.left);
        if (left.type !== 'binary' || left.op !== '&&' || !isFalsyLiteral(left.right)) return;
        const literal = unwrap(left.right);
        const shown = literal.type === 'literal' ? (literal.kind === 'string' ? `''` : String(literal.value)) : '?';
        report({
          span: { start: node.start, end: node.end },
          message: `\`… && ${shown} || …\` never evaluates to ${shown}: when the condition holds, ${shown} is falsy and the \`||\` branch is taken instead`,
        });
      });
    }
  },
};
