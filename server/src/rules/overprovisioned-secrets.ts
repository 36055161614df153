import { contextPath, functionKey } from '../parse/expressions';
import { walkFencedExpressions } from './support/evaluated-expressions';
import type { Rule } from './types';

export const overprovisionedSecrets: Rule = {
  id: 'overprovisioned-secrets',
  title: 'Every secret of the repository handed to one place',
  kinds: ['workflow', 'action'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      '`toJSON(secrets)` or `secrets[<computed>]` makes the runner load every secret of the repository into the job, not only the ones it names.',
    why: "A job only receives the secrets its expressions name. `toJSON(secrets)` names all of them: the Shai-Hulud worm (2025) planted workflows that did exactly this and sent the result to an attacker with `curl`, and any compromised step of such a job (tj-actions/changed-files dumped the runner's memory) leaks every secret at once.",
    fix: 'Name each secret the step needs: `env: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`. For a secret chosen at run time, map the few candidates explicitly.',
  },
  check({ file, report }) {
    walkFencedExpressions(file, (node, span) => {
      if (node.type === 'call' && functionKey(node) === 'tojson' && node.args.length === 1 && contextPath(node.args[0]) === 'secrets') {
        report({ span, message: '`toJSON(secrets)` loads every secret of the repository into this job: name the secrets it needs' });
        return false;
      }
      if (node.type === 'index' && contextPath(node.object) === 'secrets') {
        const index = node.index;
        if (!(index.type === 'literal' && index.kind === 'string')) {
          report({
            span,
            message: '`secrets[...]` with a computed name loads every secret of the repository into this job: name the secrets it needs',
          });
        }
      }
      return true;
    });
  },
};
