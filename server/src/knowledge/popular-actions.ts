/**
 * Widely used action repositories (lowercase `owner/repo`): the targets a typosquatter imitates.
 * Chosen from the most used actions of our corpus (../shared/corpus/real) and GitHub's own actions.
 */
export const POPULAR_ACTIONS: readonly string[] = [
  'actions/checkout', 'actions/cache', 'actions/upload-artifact', 'actions/download-artifact', 'actions/setup-python',
  'actions/setup-node', 'actions/setup-go', 'actions/setup-java', 'actions/setup-dotnet', 'actions/github-script',
  'actions/create-github-app-token', 'actions/attest-build-provenance', 'actions/labeler', 'actions/stale',
  'actions/deploy-pages', 'actions/upload-pages-artifact', 'actions/configure-pages', 'actions/dependency-review-action',
  'github/codeql-action', 'docker/setup-buildx-action', 'docker/setup-qemu-action', 'docker/login-action',
  'docker/build-push-action', 'docker/metadata-action', 'astral-sh/setup-uv', 'swatinem/rust-cache',
  'dtolnay/rust-toolchain', 'taiki-e/install-action', 'pnpm/action-setup', 'pypa/gh-action-pypi-publish',
  'softprops/action-gh-release', 'peter-evans/create-pull-request', 'peter-evans/create-or-update-comment',
  'dorny/paths-filter', 'tj-actions/changed-files', 'codecov/codecov-action', 'golangci/golangci-lint-action',
  'goreleaser/goreleaser-action', 'google-github-actions/auth', 'google-github-actions/setup-gcloud',
  'aws-actions/configure-aws-credentials', 'azure/login', 'hashicorp/setup-terraform', 'ossf/scorecard-action',
  'sigstore/cosign-installer', 'ruby/setup-ruby', 'subosito/flutter-action', 'gradle/actions', 'jdx/mise-action',
  'pre-commit/action', 'aquasecurity/trivy-action', 'slackapi/slack-github-action', 'cachix/install-nix-action',
  'denoland/setup-deno', 'oven-sh/setup-bun', 'pyo3/maturin-action', 'zizmorcore/zizmor-action', 'step-security/harden-runner',
  'JamesIves/github-pages-deploy-action'.toLowerCase(), 'peaceiris/actions-gh-pages', 'mikefarah/yq', 'crazy-max/ghaction-import-gpg',
];
