/**
 * Well-known action repositories that their owners archived: they get no fixes, security ones
 * included. Cross-checked against zizmor's `crates/zizmor/data/archived-repos.txt` (MIT) and the
 * repositories' own archive notices; lowercase `owner/repo`, with the replacement where one is obvious.
 * An `owner/*` entry covers every repository of an archived organisation.
 */
export interface ArchivedAction {
  repository: string;
  replacement?: string;
}

export const ARCHIVED_ACTIONS: readonly ArchivedAction[] = [
  { repository: 'actions/create-release', replacement: '`gh release create` or softprops/action-gh-release' },
  { repository: 'actions/upload-release-asset', replacement: '`gh release upload`' },
  { repository: 'actions/setup-ruby', replacement: 'ruby/setup-ruby' },
  { repository: 'actions/setup-haskell', replacement: 'haskell-actions/setup' },
  { repository: 'actions/setup-elixir', replacement: 'erlef/setup-beam' },
  { repository: 'actions-rs/*', replacement: 'dtolnay/rust-toolchain and plain `cargo` commands' },
  { repository: 'gradle/gradle-build-action', replacement: 'gradle/actions/setup-gradle' },
  { repository: 'sonarsource/sonarcloud-github-action', replacement: 'SonarSource/sonarqube-scan-action' },
  { repository: 'semgrep/semgrep-action', replacement: 'the `semgrep ci` command in a `semgrep/semgrep` container' },
  { repository: 'crazy-max/ghaction-docker-buildx', replacement: 'docker/setup-buildx-action' },
  { repository: 'marvinpinto/action-automatic-releases', replacement: '`gh release create`' },
  { repository: 'marvinpinto/actions' },
  { repository: 'tibdex/github-app-token', replacement: 'actions/create-github-app-token' },
  { repository: '8398a7/action-slack', replacement: 'slackapi/slack-github-action' },
  { repository: 'ilshidur/action-slack', replacement: 'slackapi/slack-github-action' },
  { repository: 'azure/container-scan' },
  { repository: 'azure/get-keyvault-secrets', replacement: 'the `az keyvault secret show` command' },
  { repository: 'azure/k8s-actions', replacement: 'azure/k8s-deploy' },
  { repository: 'azure/webapps-container-deploy', replacement: 'azure/webapps-deploy' },
  { repository: 'azure/appservice-actions', replacement: 'azure/webapps-deploy' },
  { repository: 'azure/container-actions', replacement: 'azure/docker-login' },
  { repository: 'cirrus-actions/rebase' },
  { repository: 'technote-space/get-diff-action', replacement: 'dorny/paths-filter or `git diff --name-only`' },
  { repository: 'technote-space/auto-cancel-redundant-workflow', replacement: 'a `concurrency:` group with `cancel-in-progress: true`' },
  { repository: 'jakejarvis/s3-sync-action', replacement: 'the `aws s3 sync` command' },
  { repository: 'jakejarvis/firebase-deploy-action' },
  { repository: 'jakejarvis/lighthouse-action' },
  { repository: 'jakejarvis/hugo-build-action' },
  { repository: 'jakejarvis/cloudflare-purge-action' },
  { repository: 'jakejarvis/backblaze-b2-action' },
  { repository: 'paambaati/codeclimate-action' },
  { repository: 'repo-sync/pull-request', replacement: '`gh pr create`' },
  { repository: 'repo-sync/repo-sync' },
  { repository: 'maxheld83/ghpages', replacement: 'actions/deploy-pages' },
  { repository: 'delaguardo/setup-graalvm', replacement: 'graalvm/setup-graalvm' },
  { repository: 'artichoke/setup-rust', replacement: 'dtolnay/rust-toolchain' },
  { repository: 'contributor-assistant/github-action' },
  { repository: 'youyo/aws-cdk-github-actions' },
  { repository: 'grafana/k6-action', replacement: 'grafana/setup-k6-action with grafana/run-k6-action' },
  { repository: 'google/mirror-branch-action' },
  { repository: 'orf/cargo-bloat-action' },
  { repository: 'svenstaro/upx-action' },
  { repository: 'hashicorp/terraform-cdk-action' },
  { repository: 'scottbrenner/generate-changelog-action' },
  { repository: 'fregante/release-with-changelog' },
  { repository: 'z0al/dependent-issues' },
];

export function archivedAction(owner: string, repo: string): ArchivedAction | undefined {
  const full = `${owner}/${repo}`.toLowerCase();
  const ownerWide = `${owner.toLowerCase()}/*`;
  return ARCHIVED_ACTIONS.find((entry) => entry.repository === full || entry.repository === ownerWide);
}
