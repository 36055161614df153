/**
 * Widely used action repositories: the targets a typosquatter imitates (typosquat-uses) and the bundled
 * list `uses:` completion offers. Chosen from the most used actions of our corpus (../shared/corpus/real)
 * and GitHub's own actions; each description says what the action does, from its own README.
 *
 * `verified`: the owner is GitHub itself (`actions`, `github`) or an organisation the GitHub Marketplace
 * shows as a verified creator. False means we did not confirm it, not that the publisher is untrustworthy.
 * `paths`: the sub-path actions of the repository (`github/codeql-action/init`), completed too.
 */
export interface CatalogueAction {
  /** `owner/repo` as the owner spells it. */
  action: string;
  description: string;
  verified: boolean;
  paths?: readonly { path: string; description: string }[];
}

export const ACTION_CATALOGUE: readonly CatalogueAction[] = [
  { action: 'actions/checkout', description: 'Check out the repository (or another one) into the workspace', verified: true },
  {
    action: 'actions/cache',
    description: 'Restore and save a cache of dependencies or build outputs',
    verified: true,
    paths: [
      { path: 'restore', description: 'Restore a cache without saving it' },
      { path: 'save', description: 'Save a cache' },
    ],
  },
  { action: 'actions/upload-artifact', description: 'Upload files as an artifact of the run', verified: true },
  { action: 'actions/download-artifact', description: 'Download artifacts of this run (or of another run)', verified: true },
  { action: 'actions/setup-python', description: 'Install a Python version (optionally caching pip, pipenv or poetry)', verified: true },
  { action: 'actions/setup-node', description: 'Install a Node.js version (optionally caching npm, yarn or pnpm)', verified: true },
  { action: 'actions/setup-go', description: 'Install a Go version (caches modules by default)', verified: true },
  { action: 'actions/setup-java', description: 'Install a JDK (optionally caching Maven, Gradle or sbt)', verified: true },
  { action: 'actions/setup-dotnet', description: 'Install a .NET SDK', verified: true },
  { action: 'actions/github-script', description: 'Run JavaScript with an authenticated Octokit client', verified: true },
  { action: 'actions/create-github-app-token', description: 'Create an installation token of a GitHub App', verified: true },
  { action: 'actions/attest-build-provenance', description: 'Create a signed build provenance attestation', verified: true },
  { action: 'actions/labeler', description: 'Label pull requests by the paths they change', verified: true },
  { action: 'actions/stale', description: 'Mark and close stale issues and pull requests', verified: true },
  { action: 'actions/deploy-pages', description: 'Deploy an uploaded artifact to GitHub Pages', verified: true },
  { action: 'actions/upload-pages-artifact', description: 'Package and upload a GitHub Pages site', verified: true },
  { action: 'actions/configure-pages', description: 'Read the GitHub Pages configuration of the repository', verified: true },
  {
    action: 'actions/dependency-review-action',
    description: 'Flag vulnerable or disallowed dependencies a pull request adds',
    verified: true,
  },
  {
    action: 'github/codeql-action',
    description: 'CodeQL code scanning and SARIF upload',
    verified: true,
    paths: [
      { path: 'init', description: 'Initialise CodeQL for the languages to analyse' },
      { path: 'autobuild', description: 'Build compiled languages for CodeQL' },
      { path: 'analyze', description: 'Run the CodeQL analysis and upload the results' },
      { path: 'upload-sarif', description: 'Upload a SARIF file to code scanning' },
    ],
  },
  { action: 'docker/setup-buildx-action', description: 'Set up Docker Buildx', verified: true },
  { action: 'docker/setup-qemu-action', description: 'Install QEMU static binaries for multi-platform builds', verified: true },
  { action: 'docker/login-action', description: 'Log in to a container registry', verified: true },
  { action: 'docker/build-push-action', description: 'Build (and optionally push) an image with Buildx', verified: true },
  { action: 'docker/metadata-action', description: 'Compute image tags and labels from Git refs', verified: true },
  { action: 'astral-sh/setup-uv', description: 'Install uv (optionally caching its downloads)', verified: false },
  { action: 'Swatinem/rust-cache', description: 'Cache Rust build artifacts', verified: false },
  { action: 'dtolnay/rust-toolchain', description: 'Install a Rust toolchain with rustup', verified: false },
  { action: 'taiki-e/install-action', description: 'Install development tools from prebuilt binaries', verified: false },
  { action: 'pnpm/action-setup', description: 'Install pnpm', verified: false },
  { action: 'pypa/gh-action-pypi-publish', description: 'Publish Python distributions to PyPI (Trusted Publishing)', verified: false },
  { action: 'softprops/action-gh-release', description: 'Create a GitHub release and upload assets', verified: false },
  { action: 'peter-evans/create-pull-request', description: 'Commit changes to a branch and open a pull request', verified: false },
  { action: 'peter-evans/create-or-update-comment', description: 'Create or update an issue or pull request comment', verified: false },
  { action: 'dorny/paths-filter', description: 'Run steps only when given paths changed', verified: false },
  { action: 'tj-actions/changed-files', description: 'List the files a push or pull request changed', verified: false },
  { action: 'codecov/codecov-action', description: 'Upload coverage reports to Codecov', verified: true },
  { action: 'golangci/golangci-lint-action', description: 'Run golangci-lint', verified: false },
  { action: 'goreleaser/goreleaser-action', description: 'Run GoReleaser', verified: false },
  { action: 'google-github-actions/auth', description: 'Authenticate to Google Cloud (Workload Identity Federation)', verified: true },
  { action: 'google-github-actions/setup-gcloud', description: 'Install the Google Cloud SDK', verified: true },
  { action: 'aws-actions/configure-aws-credentials', description: 'Configure AWS credentials (OIDC role assumption)', verified: true },
  { action: 'azure/login', description: 'Sign in to Azure (OIDC or service principal)', verified: true },
  { action: 'hashicorp/setup-terraform', description: 'Install the Terraform CLI', verified: true },
  { action: 'ossf/scorecard-action', description: 'Run OpenSSF Scorecard on the repository', verified: false },
  { action: 'sigstore/cosign-installer', description: 'Install cosign', verified: false },
  { action: 'ruby/setup-ruby', description: 'Install Ruby (optionally caching bundler gems)', verified: false },
  { action: 'subosito/flutter-action', description: 'Install Flutter', verified: false },
  {
    action: 'gradle/actions',
    description: 'Gradle actions',
    verified: true,
    paths: [
      { path: 'setup-gradle', description: 'Set up Gradle with build caching' },
      { path: 'wrapper-validation', description: 'Check the Gradle wrapper JARs against official checksums' },
      { path: 'dependency-submission', description: 'Submit the Gradle dependency graph' },
    ],
  },
  { action: 'jdx/mise-action', description: 'Install tools with mise', verified: false },
  { action: 'pre-commit/action', description: 'Run pre-commit hooks', verified: false },
  { action: 'aquasecurity/trivy-action', description: 'Scan images, file systems and repositories with Trivy', verified: true },
  { action: 'slackapi/slack-github-action', description: 'Send data to Slack', verified: true },
  { action: 'cachix/install-nix-action', description: 'Install Nix', verified: false },
  { action: 'denoland/setup-deno', description: 'Install Deno', verified: false },
  { action: 'oven-sh/setup-bun', description: 'Install Bun', verified: false },
  { action: 'PyO3/maturin-action', description: 'Build and publish Rust-based Python packages with maturin', verified: false },
  { action: 'zizmorcore/zizmor-action', description: 'Run zizmor on the workflows', verified: false },
  { action: 'step-security/harden-runner', description: 'Audit or restrict network egress of the runner', verified: false },
  { action: 'JamesIves/github-pages-deploy-action', description: 'Deploy a folder to a GitHub Pages branch', verified: false },
  { action: 'peaceiris/actions-gh-pages', description: 'Deploy a folder to a GitHub Pages branch', verified: false },
  { action: 'mikefarah/yq', description: 'Run yq on YAML, JSON and XML', verified: false },
  { action: 'crazy-max/ghaction-import-gpg', description: 'Import a GPG key', verified: false },
];

/** Lowercase `owner/repo` of every catalogue entry. */
export const POPULAR_ACTIONS: readonly string[] = ACTION_CATALOGUE.map((entry) => entry.action.toLowerCase());
