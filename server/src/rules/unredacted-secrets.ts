import { contextPath, functionKey } from '../parse/expressions';
import { walkFencedExpressions } from './support/evaluated-expressions';
import type { Rule } from './types';

export const unredactedSecrets: Rule = {
  id: 'unredacted-secrets',
  title: 'Secret parsed with fromJSON escapes log masking',
  kinds: ['workflow', 'action'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      '`fromJSON(secrets.X)` turns a secret into structured values whose parts the runner does not know as secrets, so they are not masked in logs.',
    why: 'The runner masks the exact text of each secret. A field taken out of a JSON secret (`fromJSON(secrets.CREDS).password`) is a different string, printed in clear by any `echo`, `set -x` or error message; public build logs then leak it.',
    fix: 'Store each value as its own secret, or register the parts with `::add-mask::` before anything can print them.',
  },
  check({ file, report }) {
    walkFencedExpressions(file, (node, span) => {
      if (node.type !== 'call' || functionKey(node) !== 'fromjson' || node.args.length !== 1) return true;
      const path = contextPath(node.args[0], { computedIndexAsWildcard: true });
      if (path && path.startsWith('secrets.')) {
        report({
          span,
          message: `\`fromJSON(${path})\` yields values the runner does not mask in logs: store each value as its own secret`,
        });
      }
      return true;
    });
  },
};
