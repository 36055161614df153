import { isOrganizationPermissionInput } from '../knowledge/app-permissions';
import type { Rule } from './types';

const APP_TOKEN_ACTIONS = new Set(['actions/create-github-app-token']);

export const githubApp: Rule = {
  id: 'github-app',
  title: 'GitHub App token broader or longer-lived than needed',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      '`actions/create-github-app-token` with `skip-token-revoke: true`, with `owner:` but no `repositories:` (a token for every repository of the installation), or without any `permission-*` input (every permission the App has).',
    why: 'App tokens are how hardened projects (Astral, the Trivy and Grafana post-mortems) replace long-lived PATs — but an App installation usually spans an organisation. In the 2025 Grafana incident an injected workflow stole exactly such credentials; a token scoped to one repository and a few permissions, revoked at the end of the job, limits what a thief can do and for how long.',
    fix: 'Name the repositories (`repositories: repo-a`), request only the permissions used (`permission-contents: write`), and leave token revocation on.',
  },
  check({ file, report }) {
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote' || !APP_TOKEN_ACTIONS.has(reference.repository.toLowerCase()) || !site.step) continue;
      const step = site.step;
      const inputs = step.with;
      const label = `Step \`${step.label}\``;
      const skip = inputs.string('skip-token-revoke');
      if (skip && skip.value.trim().toLowerCase() === 'true') {
        report({
          span: skip.span,
          message: `${label} keeps its App token valid after the job ends (\`skip-token-revoke: true\`): a leaked token stays usable for up to an hour`,
        });
      }
      const owner = inputs.get('owner');
      const permissions = inputs.entries.filter((entry) => entry.key.startsWith('permission-'));
      // A token that asks only for organisation permissions (members, organisation projects, ...) reaches no repository.
      const organizationOnly = permissions.length > 0 && permissions.every((entry) => isOrganizationPermissionInput(entry.key));
      if (owner && !inputs.has('repositories') && !organizationOnly) {
        report({
          span: owner.keySpan,
          message: `${label} sets \`owner\` without \`repositories\`, so the token can act on every repository the App is installed on`,
          confidence: 'medium',
        });
      }
      if (permissions.length === 0) {
        report({
          span: site.entry.valueSpan,
          message: `${label} requests no \`permission-*\` inputs, so the token carries every permission granted to the App: request only what the job uses`,
          severity: 'medium',
        });
      }
    }
  },
};
