/**
 * GitHub App permissions that apply to an organisation (or its teams) rather than to repositories: a
 * token that requests only these does not reach into any repository, so naming `repositories:` is
 * neither needed nor possible for what it does. Spelled as `actions/create-github-app-token` inputs
 * (`permission-<name>`, underscores as hyphens). Source: the action's generated permission list
 * (scripts/generated/app-permissions.json, from GitHub's REST API description of "App Permissions"),
 * where these are the organisation-level entries; GitHub Docs, "Choosing permissions for a GitHub App"
 * (organization permissions).
 */
export const ORGANIZATION_APP_PERMISSIONS: ReadonlySet<string> = new Set([
  'members',
  'organization-administration',
  'organization-announcement-banners',
  'organization-copilot-seat-management',
  'organization-custom-org-roles',
  'organization-custom-properties',
  'organization-custom-roles',
  'organization-events',
  'organization-hooks',
  'organization-packages',
  'organization-personal-access-token-requests',
  'organization-personal-access-tokens',
  'organization-plan',
  'organization-projects',
  'organization-secrets',
  'organization-self-hosted-runners',
  'organization-user-blocking',
  'team-discussions',
]);

/** True for `permission-<name>` inputs whose permission is organisation-level. */
export function isOrganizationPermissionInput(input: string): boolean {
  return input.startsWith('permission-') && ORGANIZATION_APP_PERMISSIONS.has(input.slice('permission-'.length).toLowerCase());
}
