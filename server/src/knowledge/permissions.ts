/**
 * GITHUB_TOKEN permission scopes and what their write level grants. Source: GitHub Docs, "Controlling
 * permissions for GITHUB_TOKEN" and the REST API's "Permissions required for GitHub Apps".
 */
import type { Severity } from '../../../shared/src/settings';

export interface ScopeInfo {
  read: string;
  write: string;
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
  contents: {
    read: 'read the repository contents, commits and releases',
    write: 'push commits and tags, create releases, merge pull requests: the whole code base',
    writeSeverity: 'high',
  },
  deployments: { read: 'read deployments', write: 'create deployments and their statuses', writeSeverity: 'high' },
  discussions: { read: 'read discussions', write: 'create, edit and comment on discussions', writeSeverity: 'medium' },
  'id-token': {
    read: '(no read level)',
    write: 'request an OIDC token: publish to registries and sign in to clouds as this workflow',
    writeSeverity: 'high',
  },
  issues: { read: 'read issues', write: 'create, edit, label and comment on issues', writeSeverity: 'high' },
  models: { read: 'call GitHub Models', write: '(no write level)', writeSeverity: 'low' },
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
};

export function scopeInfo(scope: string): ScopeInfo | undefined {
  return Object.prototype.hasOwnProperty.call(PERMISSION_SCOPES, scope) ? PERMISSION_SCOPES[scope] : undefined;
}
