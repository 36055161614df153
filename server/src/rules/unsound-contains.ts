import { contextPath, walkExpression, type ExprNode } from '../parse/expressions';
import { evaluatedExpressions } from './support/evaluated-expressions';
import type { Rule } from './types';

/** Contexts an outsider or a caller can set to any substring of the literal. */
const CONTROLLABLE = [/^env\./, /^inputs\./, /^github\.(actor|base_ref|head_ref|ref|ref_name|sha|triggering_actor)$/];

export const unsoundContains: Rule = {
  id: 'unsound-contains',
  title: '`contains()` with a literal string as the haystack',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      "`contains('refs/heads/main refs/heads/release', github.ref)` is a substring test, so any value that is a substring of the literal (`refs/heads/m`, `main`, an empty string) passes.",
    why: 'People write `contains(\'a b c\', x)` meaning "x is one of a, b, c". A branch named `refs/heads/mai` or an input of `a` satisfies it, which turns branch or actor guards in front of deployments and secret use into formalities.',
    fix: 'Use an array: `contains(fromJSON(\'["refs/heads/main", "refs/heads/release"]\'), github.ref)`, or explicit comparisons joined with `||`.',
  },
  check({ file, report }) {
    for (const expression of evaluatedExpressions(file)) {
      if (!/contains/i.test(expression.text)) continue;
      const ast = expression.parsed.ast;
      if (!ast || !expression.exact) continue;
      walkExpression(ast, (node: ExprNode) => {
        if (node.type !== 'call' || node.name.toLowerCase() !== 'contains' || node.args.length !== 2) return;
        const [haystack, needle] = node.args;
        if (haystack.type !== 'literal' || haystack.kind !== 'string') return;
        const path = contextPath(needle, { caseInsensitive: true });
        if (!path) return;
        const controllable = CONTROLLABLE.some((pattern) => pattern.test(path));
        report({
          span: { start: node.start, end: node.end },
          message: `\`contains('${String(haystack.value)}', ${path})\` tests whether \`${path}\` is a substring of the literal, not whether it is one of its words${controllable ? `; \`${path}\` can be chosen to pass` : ''}`,
          severity: controllable ? 'high' : 'informational',
        });
      });
    }
  },
};
