/**
 * GITHUB_TOKEN permission scopes, the levels each accepts and what their write level grants. Sources: the
 * workflow schema GitHub's own parser validates with (@actions/workflow-parser 0.3.61, workflow-v1.0.json,
 * `permissions-mapping` and its `permission-level-*` types), GitHub Docs "Controlling permissions for
 * GITHUB_TOKEN" and the REST API's "Permissions required for GitHub Apps".
 */
import type { Severity } from '../../../shared/src/settings';

export interface ScopeInfo {
  read: string;
  write: string;
  /** The levels the workflow schema accepts besides `none` (`id-token` has no `read`, `models` no `write`). */
  levels?: 'read' | 'write';
  /** How bad an unneeded `write` of this scope is at workflow level. */
  writeSeverity: Severity;
}

export const PERMISSION_SCOPES: Record<string, ScopeInfo> = {
  actions: {
    read: 'read workflow runs, artifacts and caches',
    write: 'cancel and re-run workflows, delete caches and artifacts',
    writeSeverity: 'high',
  },
  attestations: { read: 'read artifact attestations', write: 'create artifact attestations', writeSeverity: 'high' },
  'artifact-metadata': { read: 'read artifact metadata', write: 'create artifact metadata records', writeSeverity: 'medium' },
  checks: { read: 'read check runs', write: 'create and update check runs', writeSeverity: 'medium' },
  'code-quality': { read: 'read code quality findings', write: 'upload code quality findings', writeSeverity: 'medium' },
  'copilot-requests': {
    read: '(no read level)',
    write: 'make GitHub Copilot requests billed to the repository owner',
    writeSeverity: 'medium',
    levels: 'write',
  },
  contents: {
    read: 'read the repository contents, commits and releases',
    write: 'push commits and tags, create releases, merge pull requests: the whole code base',
    writeSeverity: 'high',
  },
  deployments: { read: 'read deployments', write: 'create deployments and their statuses', writeSeverity: 'high' },
  discussions: { read: 'read discussions', write: 'create, edit and comment on discussions', writeSeverity: 'medium' },
  drives: {
    read: 'check out GitHub Drives persistent workspace storage',
    write: 'commit changes to GitHub Drives persistent workspace storage',
    writeSeverity: 'medium',
  },
  'id-token': {
    read: '(no read level)',
    write: 'request an OIDC token: publish to registries and sign in to clouds as this workflow',
    writeSeverity: 'high',
    levels: 'write',
  },
  issues: { read: 'read issues', write: 'create, edit, label and comment on issues', writeSeverity: 'high' },
  models: { read: 'call GitHub Models', write: '(no write level)', writeSeverity: 'low', levels: 'read' },
  packages: {
    read: 'download GitHub Packages',
    write: 'publish and delete GitHub Packages (container images, npm, Maven, ...)',
    writeSeverity: 'high',
  },
  pages: { read: 'read GitHub Pages settings and builds', write: 'deploy the GitHub Pages site', writeSeverity: 'high' },
  'pull-requests': {
    read: 'read pull requests',
    write: 'open, edit, label, comment on, review and close pull requests',
    writeSeverity: 'high',
  },
  'repository-projects': { read: 'read classic projects', write: 'edit classic projects', writeSeverity: 'medium' },
  'security-events': { read: 'read code scanning alerts', write: 'upload SARIF and dismiss code scanning alerts', writeSeverity: 'medium' },
  statuses: { read: 'read commit statuses', write: 'set commit statuses', writeSeverity: 'low' },
  'vulnerability-alerts': { read: 'read Dependabot alerts', write: '(no write level)', writeSeverity: 'low', levels: 'read' },
};

/** The levels a scope accepts, as the workflow schema lists them. */
export function scopeLevels(info: ScopeInfo): readonly string[] {
  return info.levels === 'read' ? ['read', 'none'] : info.levels === 'write' ? ['write', 'none'] : ['read', 'write', 'none'];
}

export function scopeInfo(scope: string): ScopeInfo | undefined {
  return Object.prototype.hasOwnProperty.call(PERMISSION_SCOPES, scope) ? PERMISSION_SCOPES[scope] : undefined;
}
