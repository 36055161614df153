/**
 * The GITHUB_TOKEN permissions that popular actions need, written by us from each action's own
 * documentation (its README's "permissions" section and its `action.yml`): `source` names where.
 *
 * An entry says how the action receives the job token (an input that defaults to `github.token`, an input
 * that must be passed explicitly, or an environment variable), which scopes it needs and why, and when a
 * scope depends on an input (`push: true`, an OIDC input set, a password input absent). Scopes that go
 * through the token apply only when the job token is what the action gets (an input overridden with a
 * PAT or an app token needs nothing from the job token); OIDC (`id-token`) does not go through it.
 *
 * `unknown` marks an action whose needs depend on what it is told to do (a script, a command): the
 * inference then says so instead of guessing. An action that is not in the table at all is unknown too,
 * unless it never receives the token.
 */

export type Level = 'read' | 'write';

/** A condition on a step's `with:` inputs. `set`: present and non-empty; `true`: the string `true`. */
export interface InputCondition {
  input: string;
  is?: 'set' | 'unset' | 'true' | 'not-false';
  /** The input's value matches. An expression (`${{ }}`) matches anything. */
  matches?: RegExp;
  /** The input is absent or its value does not match. */
  notMatches?: RegExp;
}

export interface ScopeNeed {
  /** A scope name, or `comment` = `pull-requests: write` on pull-request workflows, else `issues: write`. */
  scope: string;
  level: Level;
  /** Short reason, shown in the fix's comment after the action's name. */
  reason: string;
  /** All conditions must hold. */
  when?: InputCondition[];
  /** False for OIDC: the scope applies whatever token the action is given. Defaults to true. */
  viaToken?: boolean;
  /** Used only when the repository is set up for it: not added by the fix, not reported as unused when granted. */
  optional?: boolean;
}

export interface ActionPermissions {
  /** `owner/repo` or `owner/repo/path`, lower case. */
  action: string;
  /** The input through which it receives a token, and whether that input defaults to the job token. */
  token?: { input: string; defaultsToJobToken: boolean };
  /** Environment variables it reads the token from (when it has no token input). */
  tokenEnv?: string[];
  scopes: ScopeNeed[];
  /** Why the needs cannot be told from the workflow alone. */
  unknown?: string;
  /** Where the requirement is documented: a URL or `owner/repo:path` that was read. */
  source: string;
  /**
   * True when the entry was checked against the action's own `action.yml` (and, for scopes, its README):
   * the token input's name and default, the scopes and the input conditions. Set from `VERIFIED` below.
   * Unverified entries are used the same way by the inference; the documentation lists them.
   */
  verified?: boolean;
}

const jobToken = (input = 'token') => ({ input, defaultsToJobToken: true });
const explicitToken = (input = 'token') => ({ input, defaultsToJobToken: false });
const none = (action: string, source: string, token?: ActionPermissions['token']): ActionPermissions => ({
  action,
  scopes: [],
  source,
  ...(token ? { token } : {}),
});
const w = (scope: string, reason: string, when?: InputCondition[]): ScopeNeed => ({
  scope,
  level: 'write',
  reason,
  ...(when ? { when } : {}),
});
const r = (scope: string, reason: string, when?: InputCondition[]): ScopeNeed => ({
  scope,
  level: 'read',
  reason,
  ...(when ? { when } : {}),
});
/** A scope GitHub documents as needed only in private repositories: not added by the fix, tolerated when granted. */
const privateOnly = (scope: string, reason: string): ScopeNeed => ({ scope, level: 'read', reason, optional: true });
const oidc = (reason: string, when?: InputCondition[]): ScopeNeed => ({
  scope: 'id-token',
  level: 'write',
  reason,
  viaToken: false,
  ...(when ? { when } : {}),
});

/**
 * Actions that need no scope of the job token: setup and tool installers that use the token (when at all)
 * only to read public releases with a higher rate limit, and actions that use the runtime token for
 * artifacts and caches, which `permissions:` does not govern.
 */
const NO_SCOPES: ActionPermissions[] = [
  none('actions/upload-artifact', 'actions/upload-artifact action.yml: no token input (uses the runtime token)'),
  none('actions/upload-artifact/merge', 'actions/upload-artifact merge/action.yml: no token input'),
  none('actions/cache', 'actions/cache action.yml: no token input (runtime cache service)'),
  none('actions/cache/restore', 'actions/cache restore/action.yml: no token input'),
  none('actions/cache/save', 'actions/cache save/action.yml: no token input'),
  none('actions/setup-python', 'actions/setup-python action.yml: `token` only downloads python-versions', jobToken()),
  none('actions/setup-node', 'actions/setup-node action.yml: `token` only downloads node-versions', jobToken()),
  none('actions/setup-go', 'actions/setup-go action.yml: `token` only downloads go-versions', jobToken()),
  none('actions/setup-java', 'actions/setup-java action.yml: `token` only downloads JDKs', jobToken()),
  none('actions/setup-dotnet', 'actions/setup-dotnet action.yml: no token scope used'),
  none('actions/upload-pages-artifact', 'actions/upload-pages-artifact action.yml: composite of upload-artifact'),
  none('actions/create-github-app-token', 'actions/create-github-app-token README: authenticates as the app, not with the job token'),
  none('astral-sh/setup-uv', 'astral-sh/setup-uv action.yml: `github-token` only downloads releases', jobToken('github-token')),
  none('swatinem/rust-cache', 'Swatinem/rust-cache action.yml: no token input'),
  none('taiki-e/install-action', 'taiki-e/install-action README: token only raises download rate limits'),
  none('dtolnay/rust-toolchain', 'dtolnay/rust-toolchain action.yml: no token input'),
  none('dsherret/rust-toolchain-file', 'dsherret/rust-toolchain-file action.yml: no token input'),
  none('moonrepo/setup-rust', 'moonrepo/setup-rust action.yml: no GitHub token input'),
  none('docker/setup-buildx-action', 'docker/setup-buildx-action action.yml: no GitHub token input'),
  none('docker/setup-qemu-action', 'docker/setup-qemu-action action.yml: no token input'),
  none(
    'docker/metadata-action',
    'docker/metadata-action action.yml: `github-token` reads public repository metadata',
    jobToken('github-token'),
  ),
  none('pnpm/action-setup', 'pnpm/action-setup action.yml: no token input'),
  none('pnpm/setup', 'pnpm/setup action.yml: no token input'),
  none(
    'pyo3/maturin-action',
    'PyO3/maturin-action README: builds in Docker; uploads use MATURIN_PYPI_TOKEN or trusted publishing (see its `command`)',
  ),
  none('denoland/setup-deno', 'denoland/setup-deno action.yml: no token scope used'),
  none('rui314/setup-mold', 'rui314/setup-mold action.yml: no token input'),
  none('azure/cli', 'azure/CLI action.yml: no token input'),
  none('re-actors/alls-green', 're-actors/alls-green action.yml: reads `needs` only'),
  none('extractions/setup-just', 'extractions/setup-just action.yml: `github-token` only downloads releases', jobToken('github-token')),
  none('google-github-actions/setup-gcloud', 'google-github-actions/setup-gcloud action.yml: no token input'),
  none('msys2/setup-msys2', 'msys2/setup-msys2 action.yml: no token input'),
  none('jetli/wasm-bindgen-action', 'jetli/wasm-bindgen-action action.yml: no token input'),
  none('jetli/wasm-pack-action', 'jetli/wasm-pack-action action.yml: no token input'),
  none('hendrikmuhs/ccache-action', 'hendrikmuhs/ccache-action action.yml: no token input'),
  none('conda-incubator/setup-miniconda', 'conda-incubator/setup-miniconda action.yml: no token input'),
  none('bencherdev/bencher', 'bencherdev/bencher action.yml: installs the CLI'),
  none('embarkstudios/cargo-deny-action', 'EmbarkStudios/cargo-deny-action action.yml: no token input'),
  none('vmactions/freebsd-vm', 'vmactions/freebsd-vm action.yml: no token input'),
  none('slackapi/slack-github-action', 'slackapi/slack-github-action README: Slack credentials only'),
  none('taiki-e/setup-cross-toolchain-action', 'taiki-e/setup-cross-toolchain-action action.yml: no token input'),
  none('pypa/cibuildwheel', 'pypa/cibuildwheel action.yml: no token input'),
  none(
    'mxschmitt/action-tmate',
    "mxschmitt/action-tmate action.yml: `github-token` only reads the actor's public SSH keys",
    jobToken('github-token'),
  ),
  none('juliangruber/read-file-action', 'juliangruber/read-file-action action.yml: no token input'),
  none('emscripten-core/setup-emsdk', 'emscripten-core/setup-emsdk action.yml: no token input'),
  none('crate-ci/typos', 'crate-ci/typos action.yml: no token input'),
  none('chainguard-dev/actions/kind-diag', 'chainguard-dev/actions kind-diag/action.yml: no token input'),
  none('cargo-bins/cargo-binstall', 'cargo-bins/cargo-binstall action.yml: token only downloads releases'),
  none('bacongobbler/azure-blob-storage-upload', 'bacongobbler/azure-blob-storage-upload action.yml: Azure credentials only'),
  none('azure/artifact-signing-action', 'Azure/artifact-signing-action README: Azure credentials only'),
  none('azure/trusted-signing-action', 'Azure/trusted-signing-action README: Azure credentials only'),
  none('tsickert/discord-webhook', 'tsickert/discord-webhook action.yml: webhook URL only'),
  none('tombi-toml/setup-tombi', 'tombi-toml/setup-tombi action.yml: no token scope used'),
  none('sigstore/cosign-installer', 'sigstore/cosign-installer action.yml: installs cosign'),
  none('sigstore/scaffolding/actions/setup', 'sigstore/scaffolding actions/setup/action.yml: no token input'),
  none('samuelcolvin/check-python-version', 'samuelcolvin/check-python-version action.yml: no token input'),
  none('ruby/setup-ruby', 'ruby/setup-ruby action.yml: no token scope used'),
  none('pre-commit/action', 'pre-commit/action action.yml: no token input'),
  none('pdm-project/setup-pdm', 'pdm-project/setup-pdm action.yml: `token` only downloads', jobToken()),
  none('obi1kenobi/cargo-semver-checks-action', 'obi1kenobi/cargo-semver-checks-action action.yml: no token scope used'),
  none('nick-fields/retry', 'nick-fields/retry action.yml: no token input'),
  none('montudor/action-zip', 'montudor/action-zip action.yml: no token input'),
  none('lukka/run-vcpkg', 'lukka/run-vcpkg action.yml: no token scope used'),
  none('cloudflare/wrangler-action', 'cloudflare/wrangler-action README: Cloudflare credentials only'),
  none(
    'bufbuild/buf-setup-action',
    'bufbuild/buf-setup-action action.yml: `github_token` (no default) only downloads buf',
    explicitToken('github_token'),
  ),
  none('bufbuild/buf-lint-action', 'bufbuild/buf-lint-action action.yml: no token scope used'),
  none(
    'bufbuild/buf-breaking-action',
    'bufbuild/buf-breaking-action action.yml: `buf_input_https_password` defaults to github.token, the password for the `against` repository',
    jobToken('buf_input_https_password'),
  ),
  none('bats-core/bats-action', 'bats-core/bats-action action.yml: no token input'),
  none('addnab/docker-run-action', 'addnab/docker-run-action action.yml: no token input'),
  none('google/oss-fuzz/infra/cifuzz/actions/build_fuzzers', 'google/oss-fuzz cifuzz docs: no token scope needed'),
  none(
    'google/oss-fuzz/infra/cifuzz/actions/run_fuzzers',
    'google/oss-fuzz cifuzz docs: no token scope needed; `github-token` (no default) is passed as GITHUB_TOKEN',
    explicitToken('github-token'),
  ),
  none('electron/github-app-auth-action', 'electron/github-app-auth-action README: authenticates as an app'),
  none('aws-actions/amazon-ecr-login', 'aws-actions/amazon-ecr-login README: AWS credentials only'),
  none(
    'aquasecurity/trivy-action',
    'aquasecurity/trivy-action README: scans locally (upload SARIF in a separate step); `token-setup-trivy` (default github.token) only fetches the Trivy repository',
    jobToken('token-setup-trivy'),
  ),
  none('aquasecurity/setup-trivy', 'aquasecurity/setup-trivy action.yml: `token` only downloads trivy', jobToken()),
  none('haskell-actions/setup', 'haskell-actions/setup action.yml: no token input'),
  none('erlef/setup-beam', 'erlef/setup-beam action.yml: `github-token` only downloads', jobToken('github-token')),
  none('mlugg/setup-zig', 'mlugg/setup-zig action.yml: no token input'),
  none('oven-sh/setup-bun', 'oven-sh/setup-bun action.yml: no token input'),
  none('arduino/setup-protoc', "arduino/setup-protoc action.yml: `repo-token` (default '') only downloads", explicitToken('repo-token')),
  none(
    'coverallsapp/github-action',
    'coverallsapp/github-action README: the repo token is optional and only identifies the run',
    jobToken('github-token'),
  ),
  none('trufflesecurity/trufflehog', 'trufflesecurity/trufflehog action.yml: scans locally'),
  none('google-ml-infra/actions/setup-uv-python', 'google-ml-infra/actions setup-uv-python/action.yml: installs tools'),
  none('dsanders11/project-actions/edit-item', 'dsanders11/project-actions README: Projects need a PAT or app token', explicitToken()),
  none('dsanders11/project-actions/add-item', 'dsanders11/project-actions README: Projects need a PAT or app token', explicitToken()),
  none('dsanders11/project-actions/find-project', 'dsanders11/project-actions README: Projects need a PAT or app token', explicitToken()),
  none('actions/add-to-project', 'actions/add-to-project README: needs a PAT or app token (Projects)', explicitToken('github-token')),
  none('mislav/bump-homebrew-formula-action', 'mislav/bump-homebrew-formula-action README: pushes with COMMITTER_TOKEN, a PAT'),
  none('autofix-ci/action', 'autofix-ci/action README: the autofix.ci app pushes, not the job token'),
  none(
    'christian-korneck/update-container-description-action',
    'christian-korneck/update-container-description-action README: registry credentials only',
  ),
  none('bus1/cabuild/action/msdevshell', 'bus1/cabuild msdevshell/action.yml: no token input'),
  none('petarpetrovt/setup-sde', 'petarpetrovt/setup-sde action.yml: no token input'),
  none('endbug/version-check', 'EndBug/version-check README: `token` only reads public commits', jobToken()),
  none('prometheus/promci-setup', 'prometheus/promci setup action.yml: installs tools'),
  none('garnet-org/action', 'garnet-org/action action.yml: GarnetAI API token only'),
  none(
    'tj-actions/verify-changed-files',
    'tj-actions/verify-changed-files action.yml: `token` (default github.token) for a local git diff',
    jobToken(),
  ),
];

/** Actions whose needs depend on inputs or that write to the repository. */
const WITH_SCOPES: ActionPermissions[] = [
  // --- GitHub-owned -------------------------------------------------------------------------------
  {
    action: 'actions/checkout',
    token: jobToken(),
    scopes: [r('contents', 'clone the repository')],
    source: 'actions/checkout README, "Recommended permissions": contents: read',
  },
  {
    action: 'actions/download-artifact',
    token: explicitToken('github-token'),
    // With `github-token` it lists the run's artifacts through the REST API (run-id defaults to the current run).
    scopes: [r('actions', 'download through the artifacts API')],
    source:
      'actions/download-artifact action.yml: `github-token` has no default; with it, `repository` and `run-id` (defaulting to the current run) go through the API',
  },
  {
    action: 'actions/github-script',
    token: jobToken('github-token'),
    scopes: [],
    unknown: 'its `script` can call any API',
    source: "actions/github-script README: the token's scopes depend on the script",
  },
  {
    action: 'actions/labeler',
    token: jobToken('repo-token'),
    scopes: [r('contents', 'read the labeler config'), w('pull-requests', 'label pull requests')],
    source: 'actions/labeler README, "Permissions": contents: read, pull-requests: write',
  },
  {
    action: 'actions/stale',
    token: jobToken('repo-token'),
    scopes: [
      w('issues', 'close stale issues'),
      w('pull-requests', 'close stale pull requests'),
      w('contents', 'delete branches', [{ input: 'delete-branch', is: 'true' }]),
    ],
    source: 'actions/stale README, "Recommended permissions": issues: write, pull-requests: write (contents: write for delete-branch)',
  },
  {
    action: 'actions/first-interaction',
    token: jobToken('repo-token'),
    scopes: [w('issues', 'greet on issues'), w('pull-requests', 'greet on pull requests')],
    source: 'actions/first-interaction README',
  },
  {
    action: 'actions/attest-build-provenance',
    token: jobToken('github-token'),
    scopes: [oidc('sign the attestation'), w('attestations', 'store the attestation')],
    source: 'actions/attest-build-provenance README, "Usage": id-token: write, attestations: write',
  },
  {
    action: 'actions/attest',
    token: jobToken('github-token'),
    scopes: [oidc('sign the attestation'), w('attestations', 'store the attestation')],
    source: 'actions/attest README: id-token: write, attestations: write',
  },
  {
    action: 'actions/attest-sbom',
    token: jobToken('github-token'),
    scopes: [oidc('sign the attestation'), w('attestations', 'store the attestation')],
    source: 'actions/attest-sbom README: id-token: write, attestations: write',
  },
  {
    action: 'actions/deploy-pages',
    token: jobToken(),
    scopes: [w('pages', 'deploy to Pages'), oidc('verify the deployment source')],
    source: 'actions/deploy-pages README, "Usage": pages: write, id-token: write',
  },
  {
    action: 'actions/configure-pages',
    token: jobToken(),
    scopes: [r('pages', 'read the Pages site')],
    source: 'actions/configure-pages action.yml: reads the Pages site with `token`',
  },
  {
    action: 'actions/publish-immutable-action',
    token: jobToken(),
    scopes: [r('contents', 'read the release'), w('packages', 'publish the action package'), oidc('sign the package')],
    source: 'actions/publish-immutable-action README: contents: read, packages: write, id-token: write',
  },
  {
    action: 'actions/publish-action',
    token: jobToken(),
    scopes: [w('contents', 'update major version tags')],
    source: 'actions/publish-action README: contents: write',
  },
  {
    action: 'actions/dependency-review-action',
    token: jobToken('repo-token'),
    scopes: [
      r('contents', 'read the dependency graph'),
      w('pull-requests', 'comment the summary', [{ input: 'comment-summary-in-pr', matches: /^(always|on-failure|true)$/ }]),
    ],
    source: 'actions/dependency-review-action README: contents: read, pull-requests: write for comment-summary-in-pr',
  },
  {
    action: 'actions/delete-package-versions',
    token: jobToken(),
    scopes: [w('packages', 'delete package versions')],
    source: 'actions/delete-package-versions README',
  },
  {
    action: 'actions/create-release',
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [w('contents', 'create the release')],
    source: 'actions/create-release README',
  },
  {
    action: 'actions/upload-release-asset',
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [w('contents', 'upload the release asset')],
    source: 'actions/upload-release-asset README',
  },
  {
    action: 'actions/ai-inference',
    token: jobToken(),
    scopes: [r('models', 'call GitHub Models')],
    source: 'actions/ai-inference README: models: read',
  },
  // Code scanning
  {
    action: 'github/codeql-action/init',
    token: jobToken(),
    scopes: [],
    source: 'github/codeql-action README: permissions are needed by analyze/upload',
  },
  { action: 'github/codeql-action/autobuild', token: jobToken(), scopes: [], source: 'github/codeql-action autobuild/action.yml' },
  {
    action: 'github/codeql-action/analyze',
    token: jobToken(),
    scopes: [
      w('security-events', 'upload CodeQL results', [{ input: 'upload', notMatches: /^(false|never)$/ }]),
      privateOnly('actions', 'read the run (private repositories)'),
    ],
    source: 'github/codeql-action README, "Permissions": security-events: write',
  },
  {
    action: 'github/codeql-action/upload-sarif',
    token: jobToken(),
    scopes: [w('security-events', 'upload SARIF'), privateOnly('actions', 'read the run (private repositories)')],
    source: 'github/codeql-action upload-sarif/action.yml and code scanning docs: security-events: write',
  },
  {
    action: 'zizmorcore/zizmor-action',
    token: jobToken(), // Its upload-sarif step is not passed `token`: the upload always uses the job token.
    scopes: [
      { ...w('security-events', 'upload SARIF', [{ input: 'advanced-security', is: 'not-false' }]), viaToken: false },
      privateOnly('actions', 'read the run (private repositories)'),
    ],
    source:
      'zizmorcore/zizmor-action action.yml: `token` defaults to github.token; advanced-security (default "true") runs github/codeql-action/upload-sarif without `token`',
  },
  {
    action: 'ossf/scorecard-action',
    token: jobToken('repo_token'),
    scopes: [oidc('publish results', [{ input: 'publish_results', is: 'true' }])],
    source: 'ossf/scorecard-action README: id-token: write with publish_results (security-events: write for the upload-sarif step)',
  },
  // OIDC publishing and cloud sign-in
  {
    action: 'pypa/gh-action-pypi-publish',
    scopes: [oidc('trusted publishing', [{ input: 'password', is: 'unset' }])],
    source: 'pypa/gh-action-pypi-publish README, "Trusted publishing": id-token: write',
  },
  {
    action: 'rust-lang/crates-io-auth-action',
    scopes: [oidc('trusted publishing')],
    source: 'rust-lang/crates-io-auth-action README: id-token: write',
  },
  {
    action: 'aws-actions/configure-aws-credentials',
    scopes: [
      oidc('assume the AWS role', [
        { input: 'role-to-assume', is: 'set' },
        { input: 'aws-access-key-id', is: 'unset' },
        { input: 'web-identity-token-file', is: 'unset' },
      ]),
    ],
    source: 'aws-actions/configure-aws-credentials README, "OIDC": id-token: write',
  },
  {
    action: 'google-github-actions/auth',
    scopes: [oidc('Workload Identity Federation', [{ input: 'workload_identity_provider', is: 'set' }])],
    source: 'google-github-actions/auth README: id-token: write for Workload Identity Federation',
  },
  {
    action: 'azure/login',
    scopes: [
      oidc('federated sign-in', [
        { input: 'client-id', is: 'set' },
        { input: 'creds', is: 'unset' },
      ]),
    ],
    source: 'Azure/login README, "OIDC": id-token: write',
  },
  {
    action: 'hashicorp/vault-action',
    scopes: [oidc('JWT sign-in', [{ input: 'method', matches: /^jwt$/ }])],
    source: 'hashicorp/vault-action README, "JWT with GitHub OIDC Tokens": id-token: write',
  },
  {
    action: 'codecov/codecov-action',
    scopes: [oidc('OIDC upload', [{ input: 'use_oidc', is: 'true' }])],
    source: 'codecov/codecov-action README: id-token: write with use_oidc',
  },
  {
    action: 'open-security-tools/ost-simple-sts',
    scopes: [oidc('exchange the OIDC token')],
    source: "open-security-tools/ost-simple-sts README: exchanges the job's OIDC token",
  },
  {
    action: 'depot/build-push-action',
    token: jobToken('github-token'),
    scopes: [oidc('Depot OIDC sign-in', [{ input: 'token', is: 'unset' }])],
    source:
      'depot/build-push-action README: id-token: write without a Depot token (`github-token`, default github.token, reads a Git context)',
  },
  {
    action: 'depot/setup-action',
    scopes: [oidc('Depot OIDC sign-in', [{ input: 'oidc', is: 'true' }])],
    source: 'depot/setup-action action.yml and README: `oidc: true` authenticates with the Depot API using GitHub Actions OIDC',
  },
  {
    action: 'electron/secret-service-action',
    scopes: [oidc('exchange the OIDC token for secrets')],
    source: 'electron/secret-service-action README, "Prerequisites": id-token: write',
  },
  {
    action: 'step-security/harden-runner',
    token: jobToken(),
    scopes: [oidc('fetch the policy from the policy store', [{ input: 'policy', is: 'set' }])],
    source:
      'step-security/harden-runner action.yml: `token` (default github.token) avoids rate limits; `policy` "Requires id-token: write permission"',
  },
  {
    action: 'sigstore/gh-action-sigstore-python',
    scopes: [
      oidc('keyless signing', [{ input: 'identity-token', is: 'unset' }]),
      w('contents', 'attach the signing artifacts to the release', [{ input: 'release-signing-artifacts', is: 'true' }]),
    ],
    source:
      'sigstore/gh-action-sigstore-python README: id-token: write unless `identity-token` is given; contents: write for release-signing-artifacts',
  },
  {
    action: 'hynek/build-and-inspect-python-package',
    scopes: [
      oidc('attest provenance', [{ input: 'attest-build-provenance-github', is: 'true' }]),
      w('attestations', 'attest provenance', [{ input: 'attest-build-provenance-github', is: 'true' }]),
    ],
    source: 'hynek/build-and-inspect-python-package README: id-token + attestations: write for attest-build-provenance-github',
  },
  // Containers
  {
    action: 'docker/login-action',
    token: explicitToken('password'),
    scopes: [w('packages', 'push to ghcr.io', [{ input: 'registry', matches: /^(https?:\/\/)?ghcr\.io/ }])],
    source: 'docker/login-action README, "GitHub Container Registry": packages: write with GITHUB_TOKEN',
  },
  {
    action: 'docker/build-push-action',
    token: jobToken('github-token'),
    scopes: [],
    source: 'docker/build-push-action README: pushes with the credentials of docker/login-action',
  },
  {
    action: 'docker/bake-action',
    token: jobToken('github-token'),
    scopes: [],
    source: 'docker/bake-action README: pushes with the credentials of docker/login-action',
  },
  {
    action: 'uraimo/run-on-arch-action',
    token: explicitToken('githubToken'),
    // The cache push is best effort: astral-sh/uv and ruff pass `githubToken: ${{ github.token }}` without packages: write.
    scopes: [{ ...w('packages', 'cache its container image in the package registry'), optional: true }],
    source:
      "uraimo/run-on-arch-action action.yml: `githubToken` defaults to ''; when given, the built image is cached in the project's package registry",
  },
  {
    action: 'ko-build/setup-ko',
    scopes: [{ ...w('packages', 'push images to ghcr.io with ko'), optional: true }],
    unknown: 'it logs ko in to ghcr.io with the job token; later `ko build`/`ko publish` steps push images (packages: write)',
    source: 'ko-build/setup-ko action.yml: composite, `ko login ghcr.io` with github.token unless KO_DOCKER_REPO is set',
  },
  // Releases and repository writes
  {
    action: 'softprops/action-gh-release',
    token: jobToken(),
    scopes: [
      w('contents', 'create the release'),
      w('discussions', 'link a release discussion', [{ input: 'discussion_category_name', is: 'set' }]),
    ],
    source:
      'softprops/action-gh-release action.yml (token defaults to github.token; discussion_category_name creates a discussion) and README: contents: write',
  },
  {
    action: 'ncipollo/release-action',
    token: jobToken(),
    scopes: [w('contents', 'create the release')],
    source: 'ncipollo/release-action README: contents: write',
  },
  {
    action: 'marvinpinto/action-automatic-releases',
    token: explicitToken('repo_token'),
    scopes: [w('contents', 'create the release')],
    source: 'marvinpinto/action-automatic-releases README',
  },
  {
    action: 'svenstaro/upload-release-action',
    token: jobToken('repo_token'),
    scopes: [w('contents', 'upload release assets')],
    source: 'svenstaro/upload-release-action README: contents: write',
  },
  {
    action: 'goreleaser/goreleaser-action',
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [w('contents', 'publish the release')],
    source: 'goreleaser/goreleaser-action README: contents: write (packages: write for ghcr.io images)',
  },
  {
    action: 'googleapis/release-please-action',
    token: jobToken(),
    scopes: [w('contents', 'create releases'), w('pull-requests', 'open the release PR'), w('issues', 'label the release PR')],
    source: 'googleapis/release-please-action README: contents, pull-requests and issues: write',
  },
  {
    action: 'release-drafter/release-drafter',
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [w('contents', 'draft the release'), r('pull-requests', 'read merged pull requests')],
    source: 'release-drafter/release-drafter README: contents: write, pull-requests: read (write for the autolabeler)',
  },
  {
    action: 'changesets/action',
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [w('contents', 'push the version branch'), w('pull-requests', 'open the version PR')],
    source: 'changesets/action README: contents: write, pull-requests: write',
  },
  {
    action: 'peter-evans/create-pull-request',
    token: jobToken(),
    scopes: [w('contents', 'push the PR branch'), w('pull-requests', 'open the pull request')],
    source: 'peter-evans/create-pull-request README, "Token": contents: write, pull-requests: write',
  },
  {
    action: 'peter-evans/repository-dispatch',
    token: jobToken(),
    scopes: [w('contents', 'send repository_dispatch')],
    source: 'peter-evans/repository-dispatch README: contents: write for the current repository',
  },
  {
    action: 'peter-evans/create-or-update-comment',
    token: jobToken(),
    scopes: [w('comment', 'post the comment')],
    source: 'peter-evans/create-or-update-comment README: issues: write or pull-requests: write',
  },
  {
    action: 'peter-evans/find-comment',
    token: jobToken(),
    scopes: [r('pull-requests', 'read comments')],
    source: 'peter-evans/find-comment README: issues/pull-requests: read',
  },
  {
    action: 'marocchino/sticky-pull-request-comment',
    token: jobToken('GITHUB_TOKEN'),
    scopes: [w('pull-requests', 'post the sticky comment')],
    source: 'marocchino/sticky-pull-request-comment README: pull-requests: write',
  },
  {
    action: 'thollander/actions-comment-pull-request',
    token: jobToken('github-token'),
    scopes: [w('pull-requests', 'comment on the PR')],
    source: 'thollander/actions-comment-pull-request README: pull-requests: write',
  },
  {
    action: 'mshick/add-pr-comment',
    token: jobToken('repo-token'),
    scopes: [w('pull-requests', 'comment on the PR')],
    source: 'mshick/add-pr-comment README: pull-requests: write',
  },
  {
    action: 'py-cov-action/python-coverage-comment-action',
    token: explicitToken('GITHUB_TOKEN'),
    scopes: [w('pull-requests', 'post the coverage comment'), w('contents', 'push the coverage branch')],
    source: 'py-cov-action/python-coverage-comment-action README: pull-requests: write, contents: write',
  },
  {
    action: 'stefanzweifel/git-auto-commit-action',
    scopes: [w('contents', 'push the commit')],
    source: 'stefanzweifel/git-auto-commit-action README: contents: write (pushes with the checkout credentials)',
  },
  // `github_token` only reads the API; the push uses the checkout's persisted credentials.
  {
    action: 'endbug/add-and-commit',
    scopes: [w('contents', 'push the commit', [{ input: 'push', notMatches: /^false$/ }])],
    source: 'EndBug/add-and-commit action.yml: `github_token` "is NOT used to make commits"; `push` defaults to true',
  },
  {
    action: 'jamesives/github-pages-deploy-action',
    token: jobToken(),
    scopes: [w('contents', 'push the Pages branch', [{ input: 'ssh-key', is: 'unset' }])],
    source: 'JamesIves/github-pages-deploy-action action.yml: `token` defaults to github.token; `ssh-key` pushes with a deploy key instead',
  },
  {
    action: 'peaceiris/actions-gh-pages',
    token: explicitToken('github_token'),
    scopes: [w('contents', 'push the Pages branch')],
    source: 'peaceiris/actions-gh-pages README: contents: write with github_token',
  },
  {
    action: 'dessant/lock-threads',
    token: jobToken('github-token'), // `process-only` empty (the default) processes issues, pull requests and discussions.
    scopes: [
      w('issues', 'lock issues', [{ input: 'process-only', notMatches: /^(?![\s\S]*issues)[\s\S]+$/ }]),
      w('pull-requests', 'lock pull requests', [{ input: 'process-only', notMatches: /^(?![\s\S]*prs)[\s\S]+$/ }]),
      w('discussions', 'lock discussions', [{ input: 'process-only', notMatches: /^(?![\s\S]*discussions)[\s\S]+$/ }]),
    ],
    source:
      "dessant/lock-threads action.yml: `github-token` defaults to github.token; `process-only` defaults to '' (issues, prs and discussions)",
  },
  {
    action: 'amannn/action-semantic-pull-request',
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [r('pull-requests', 'read the PR title'), w('statuses', 'report the WIP status', [{ input: 'wip', is: 'true' }])],
    source:
      'amannn/action-semantic-pull-request action.yml (no token input: env GITHUB_TOKEN; `wip` reports a second check) and README: pull-requests: read',
  },
  {
    action: 'dorny/paths-filter',
    token: jobToken(),
    scopes: [r('pull-requests', 'list changed files')],
    source: 'dorny/paths-filter README: pull-requests: read on pull_request events',
  },
  {
    action: 'tj-actions/changed-files',
    token: jobToken(),
    scopes: [r('pull-requests', 'list changed files')],
    source: 'tj-actions/changed-files README: pull-requests: read',
  },
  {
    action: 'golangci/golangci-lint-action',
    token: jobToken('github-token'),
    scopes: [r('pull-requests', 'only-new-issues', [{ input: 'only-new-issues', is: 'true' }])],
    source: 'golangci/golangci-lint-action README: contents: read, pull-requests: read for only-new-issues',
  },
  {
    action: 'dawidd6/action-download-artifact',
    token: jobToken('github_token'),
    scopes: [r('actions', "download another run's artifact"), r('pull-requests', 'look up the pull request', [{ input: 'pr', is: 'set' }])],
    source: 'dawidd6/action-download-artifact action.yml: `github_token` defaults to github.token; `pr` looks up a pull request',
  },
  {
    action: 'hmarr/auto-approve-action',
    token: jobToken('github-token'),
    scopes: [w('pull-requests', 'approve the pull request')],
    source: 'hmarr/auto-approve-action README: pull-requests: write',
  },
  {
    action: 'pascalgn/automerge-action',
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [w('contents', 'merge'), w('pull-requests', 'update pull requests')],
    source: 'pascalgn/automerge-action README',
  },
  {
    action: 'dependabot/fetch-metadata',
    token: jobToken('github-token'),
    scopes: [r('pull-requests', 'read the Dependabot PR')],
    source: 'dependabot/fetch-metadata README: pull-requests: read',
  },
  {
    action: 'actions-ecosystem/action-add-labels',
    token: explicitToken('github_token'),
    scopes: [w('comment', 'add labels')],
    source:
      'actions-ecosystem/action-add-labels action.yml: `github_token` required, no default; labels an issue or a pull request (issues API)',
  },
  {
    action: 'github/issue-labeler',
    token: jobToken('repo-token'),
    scopes: [w('issues', 'label issues')],
    source: 'github/issue-labeler README: issues: write',
  },
  {
    action: 'enricomi/publish-unit-test-result-action',
    token: jobToken('github_token'),
    scopes: [
      w('checks', 'create the check run'),
      w('pull-requests', 'comment the results', [{ input: 'comment_mode', notMatches: /^off$/ }]),
    ],
    source: 'EnricoMi/publish-unit-test-result-action README, "Permissions": checks: write, pull-requests: write',
  },
  {
    action: 'dorny/test-reporter',
    token: jobToken(),
    scopes: [w('checks', 'create the check run')],
    source: 'dorny/test-reporter README: checks: write',
  },
  {
    action: 'mikepenz/action-junit-report',
    token: jobToken(),
    scopes: [w('checks', 'create the check run', [{ input: 'annotate_only', notMatches: /^true$/ }])],
    source: 'mikepenz/action-junit-report action.yml: `token` defaults to github.token; `annotate_only: true` creates no check run',
  },
  {
    action: 'super-linter/super-linter',
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [w('statuses', 'report per-linter statuses')],
    source: 'super-linter/super-linter README: statuses: write',
  },
  {
    action: 'crazy-max/ghaction-github-pages',
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [w('contents', 'push the Pages branch')],
    source: 'crazy-max/ghaction-github-pages README: contents: write',
  },
  {
    action: 'codspeedhq/action',
    scopes: [{ ...oidc('CodSpeed OIDC sign-in', [{ input: 'token', is: 'unset' }]), optional: true }],
    source: 'CodSpeedHQ/action README: tokenless uploads on public repositories; OIDC (id-token: write) when the project is set up for it',
  },
  // Composites and tools whose scopes depend on inputs.
  {
    action: 'golang/govulncheck-action',
    scopes: [r('contents', 'check out the repository (actions/checkout)', [{ input: 'repo-checkout', notMatches: /^false$/ }])],
    source: 'golang/govulncheck-action action.yml: composite, runs actions/checkout with the job token unless `repo-checkout: false`',
  },
  {
    action: 'gradle/actions/setup-gradle',
    token: jobToken('github-token'),
    scopes: [
      w('contents', 'submit the dependency graph', [{ input: 'dependency-graph', matches: /^(generate-and-submit|download-and-submit)$/ }]),
      w('pull-requests', 'add the job summary as a PR comment', [
        { input: 'add-job-summary-as-pr-comment', matches: /^(always|on-failure)$/ },
      ]),
    ],
    source:
      'gradle/actions docs/setup-gradle.md: contents: write to submit the dependency graph (off by default), pull-requests: write for add-job-summary-as-pr-comment (default never)',
  },
  // Unknowns: the needs depend on what the action is told to do.
  {
    action: 'octokit/request-action',
    token: explicitToken('github_token'),
    tokenEnv: ['GITHUB_TOKEN'],
    scopes: [],
    unknown: 'it calls whatever endpoint `route` names',
    source: 'octokit/request-action action.yml: `route`; the token comes from env GITHUB_TOKEN (or `github_token`)',
  },
  {
    action: 'reviewdog/action-setup',
    scopes: [],
    source: 'reviewdog/action-setup action.yml: installs reviewdog (what reviewdog posts depends on its reporter)',
  },
  {
    action: 'openai/codex-action',
    scopes: [],
    unknown: 'the agent runs commands chosen at run time',
    source: 'openai/codex-action README',
  },
  {
    action: 'anthropics/claude-code-action',
    token: explicitToken('github_token'),
    scopes: [
      oidc('exchange for the Claude app token', [{ input: 'github_token', is: 'unset' }]),
      { ...r('actions', 'read workflow results', [{ input: 'additional_permissions', matches: /actions:\s*read/ }]), viaToken: false },
    ],
    unknown: "the agent's tools decide what it writes",
    source:
      'anthropics/claude-code-action action.yml: `github_token` has no default (an app token is obtained otherwise); github.token is passed as DEFAULT_WORKFLOW_TOKEN; additional_permissions "actions: read"',
  },
  {
    action: 'bluwy/auto-branch-sync-action',
    token: jobToken(),
    scopes: [w('contents', 'push the synced branches', [{ input: 'dry-run', notMatches: /^true$/ }])],
    source: 'bluwy/auto-branch-sync-action action.yml: `token` defaults to github.token, pushes directories to other branches',
  },
  {
    action: 'jbolda/covector/packages/action',
    token: explicitToken(),
    scopes: [],
    unknown: 'what it writes (releases, comments) depends on `command`',
    source: "jbolda/covector packages/action/action.yml: `token` defaults to ''",
  },
];

/**
 * Entries checked against the action's own files, read from the stored public index (`owner/repo:path@commit`):
 * the token input's name and default, the scopes, and the inputs the conditions test. The index keeps one
 * version per file, sometimes an older one; where it differed from the entry the entry was corrected, and
 * where the stored version predates an input the entry relies on, the entry is left unverified.
 */
const VERIFIED: Record<string, string> = {
  'actions/checkout': 'actions/checkout:action.yml@02c7380 (token default github.token); README "Recommended permissions"',
  'actions/download-artifact': 'actions/download-artifact:action.yml@055cd68',
  'actions/upload-artifact': 'actions/upload-artifact:action.yml@02dd1e4',
  'actions/cache/restore': 'actions/cache:restore/action.yml@11ab7cc',
  'actions/cache/save': 'actions/cache:save/action.yml@12a1a35',
  'actions/setup-python': 'actions/setup-python:action.yml@05b0430',
  'actions/setup-node': 'actions/setup-node:action.yml@02041c0',
  'actions/setup-go': 'actions/setup-go:action.yml@02aadfe',
  'actions/setup-dotnet': 'actions/setup-dotnet:action.yml@00e970a',
  'astral-sh/setup-uv': 'astral-sh/setup-uv:action.yml@0a4790f',
  'swatinem/rust-cache': 'Swatinem/rust-cache:action.yml@028a3ac',
  'taiki-e/install-action': 'taiki-e/install-action:action.yml@006361d (github.token only as DEFAULT_GITHUB_TOKEN for downloads)',
  'actions/github-script': 'actions/github-script:action.yml@044ebbb',
  'dtolnay/rust-toolchain': 'dtolnay/rust-toolchain:action.yml@00e2247',
  'docker/setup-buildx-action': 'docker/setup-buildx-action:action.yml@03082a1',
  'docker/setup-qemu-action': 'docker/setup-qemu-action:action.yml@02897d0',
  'pnpm/action-setup': 'pnpm/action-setup:action.yml@0aabe9d',
  'pyo3/maturin-action': 'PyO3/maturin-action:action.yml@020000b',
  'dsherret/rust-toolchain-file': 'dsherret/rust-toolchain-file:action.yml@037c5f6',
  'denoland/setup-deno': 'denoland/setup-deno:action.yml@06a6402',
  'docker/login-action': 'docker/login-action:action.yml@087884b',
  'actions/create-github-app-token': 'actions/create-github-app-token:action.yml@00ba6ed',
  'electron/github-app-auth-action': 'electron/github-app-auth-action:action.yml@384fd19',
  'moonrepo/setup-rust': 'moonrepo/setup-rust:action.yml@128d910',
  'open-security-tools/ost-simple-sts': 'open-security-tools/ost-simple-sts:action.yml@3cd786e',
  'actions/attest-build-provenance': 'actions/attest-build-provenance:action.yml@06c4efb',
  'actions/attest': 'actions/attest:action.yml@01e19e4',
  'actions/attest-sbom': 'actions/attest-sbom:action.yml@07e74fc',
  'softprops/action-gh-release': 'softprops/action-gh-release:action.yml@030d4ce',
  'peter-evans/create-pull-request': 'peter-evans/create-pull-request:action.yml@053b501',
  'github/codeql-action/init': 'github/codeql-action:init/action.yml@010abe7',
  'github/codeql-action/analyze': 'github/codeql-action:analyze/action.yml@03e7845',
  'github/codeql-action/upload-sarif': 'github/codeql-action:upload-sarif/action.yml@03e7845',
  'rui314/setup-mold': 'rui314/setup-mold:action.yml@04fe15b',
  'dorny/paths-filter': 'dorny/paths-filter:action.yml@0510efd',
  'uraimo/run-on-arch-action': 'uraimo/run-on-arch-action:action.yml@13832e4',
  'golangci/golangci-lint-action': 'golangci/golangci-lint-action:action.yml@06e45e8',
  'codspeedhq/action': 'CodSpeedHQ/action:action.yml@0268161 (`token` is a CodSpeed token)',
  'docker/metadata-action': 'docker/metadata-action:action.yml@03eb07f',
  'zizmorcore/zizmor-action': 'zizmorcore/zizmor-action:action.yml@0c6b039',
  'openai/codex-action': "openai/codex-action:action.yml@0006efa (github.token only checks the actor's write access)",
  'codecov/codecov-action': 'codecov/codecov-action:action.yml@038c89e',
  'actions/stale': 'actions/stale:action.yml@002bc97; README@00005d3 "Recommended permissions"',
  're-actors/alls-green': 're-actors/alls-green:action.yml@3a2de12',
  'ossf/scorecard-action': 'ossf/scorecard-action:action.yaml@037e7b7',
  'aws-actions/configure-aws-credentials': 'aws-actions/configure-aws-credentials:action.yml@0271a81',
  'google-github-actions/auth': 'google-github-actions/auth:action.yml@12ea1f1',
  'azure/login': 'Azure/login:action.yml@06f20c5',
  'hashicorp/vault-action': 'hashicorp/vault-action:action.yml@01bb0f9',
  'rust-lang/crates-io-auth-action': 'rust-lang/crates-io-auth-action:action.yml@05f529d',
  'goreleaser/goreleaser-action': 'goreleaser/goreleaser-action:action.yml@04ed112 (no token input)',
  'actions/publish-immutable-action': 'actions/publish-immutable-action:action.yml@120663b',
  'actions/labeler': 'actions/labeler:action.yml@000ca75',
  'actions/first-interaction': 'actions/first-interaction:action.yml@0fe5db2',
  'actions/deploy-pages': 'actions/deploy-pages:action.yml@0143e11',
  'actions/configure-pages': 'actions/configure-pages:action.yml@0968db9',
  'actions/dependency-review-action': 'actions/dependency-review-action:action.yml@00f1f5b',
  'actions/delete-package-versions': 'actions/delete-package-versions:action.yml@00623cb',
  'actions/ai-inference': 'actions/ai-inference:action.yml@51ecd8a',
  'ncipollo/release-action': 'ncipollo/release-action:action.yml@028c2af',
  'svenstaro/upload-release-action': 'svenstaro/upload-release-action:action.yml@011f795',
  'googleapis/release-please-action': 'googleapis/release-please-action:action.yml@031c4c9',
  'release-drafter/release-drafter': 'release-drafter/release-drafter:action.yml@01bde76 (no token input: env GITHUB_TOKEN)',
  'changesets/action': 'changesets/action:action.yml@0139b5b (no token input: env GITHUB_TOKEN)',
  'marvinpinto/action-automatic-releases': 'marvinpinto/action-automatic-releases:action.yml@3e11549',
  'peter-evans/repository-dispatch': 'peter-evans/repository-dispatch:action.yml@0ae1c4b',
  'peter-evans/create-or-update-comment': 'peter-evans/create-or-update-comment:action.yml@27ae523',
  'peter-evans/find-comment': 'peter-evans/find-comment:action.yml@0304620',
  'marocchino/sticky-pull-request-comment': 'marocchino/sticky-pull-request-comment:action.yml@02d678b (declares pull-requests: write)',
  'thollander/actions-comment-pull-request': 'thollander/actions-comment-pull-request:action.yml@0422a4d',
  'mshick/add-pr-comment': 'mshick/add-pr-comment:action.yml@08849c5',
  'py-cov-action/python-coverage-comment-action': 'py-cov-action/python-coverage-comment-action:action.yml@02d20de',
  'stefanzweifel/git-auto-commit-action': 'stefanzweifel/git-auto-commit-action:action.yml@0822a9b',
  'endbug/add-and-commit': 'EndBug/add-and-commit:action.yml@018fe62',
  'jamesives/github-pages-deploy-action': 'JamesIves/github-pages-deploy-action:action.yml@09a5452',
  'peaceiris/actions-gh-pages': 'peaceiris/actions-gh-pages:action.yml@0629bab',
  'crazy-max/ghaction-github-pages': 'crazy-max/ghaction-github-pages:action.yml@077e8dc (no token input: env GITHUB_TOKEN)',
  'dessant/lock-threads': 'dessant/lock-threads:action.yml@0a0976f',
  'amannn/action-semantic-pull-request': 'amannn/action-semantic-pull-request:action.yml@04b071e',
  'tj-actions/changed-files': 'tj-actions/changed-files:action.yml@0026098',
  'dawidd6/action-download-artifact': 'dawidd6/action-download-artifact:action.yml@07ab29f',
  'hmarr/auto-approve-action': 'hmarr/auto-approve-action:action.yml@1b5fe29',
  'dependabot/fetch-metadata': 'dependabot/fetch-metadata:action.yml@0ca01a5',
  'pascalgn/automerge-action': 'pascalgn/automerge-action:action.yml@0215836 (no inputs: env GITHUB_TOKEN)',
  'actions-ecosystem/action-add-labels': 'actions-ecosystem/action-add-labels:action.yml@00f047b',
  'github/issue-labeler': 'github/issue-labeler:action.yml@08c9bc1',
  'enricomi/publish-unit-test-result-action': 'EnricoMi/publish-unit-test-result-action:action.yml@00dc83b',
  'dorny/test-reporter': 'dorny/test-reporter:action.yml@00c66cb',
  'mikepenz/action-junit-report': 'mikepenz/action-junit-report:action.yml@0390b63',
  'super-linter/super-linter': 'super-linter/super-linter:action.yml@00011ba (docker; env only)',
  'docker/build-push-action': 'docker/build-push-action:action.yml@01bd5c1',
  'docker/bake-action': 'docker/bake-action:action.yml@063b84c',
  'octokit/request-action': 'octokit/request-action:action.yml@094fe1c',
  'anthropics/claude-code-action': 'anthropics/claude-code-action:action.yml@0082843',
  'ko-build/setup-ko': 'ko-build/setup-ko:action.yml@1077500',
  'garnet-org/action': 'garnet-org/action:action.yml@065c51c',
  'bluwy/auto-branch-sync-action': 'bluwy/auto-branch-sync-action:action.yml@256b507',
  'jbolda/covector/packages/action': 'jbolda/covector:packages/action/action.yml@028ae89',
  'tj-actions/verify-changed-files': 'tj-actions/verify-changed-files:action.yml@02cd305',
  'github/codeql-action/autobuild': 'github/codeql-action:autobuild/action.yml@03e7845 (token default github.token)',
  'google-github-actions/setup-gcloud': 'google-github-actions/setup-gcloud:action.yml@0421dbc',
  'azure/cli': 'Azure/cli:action.yml@0002db4',
  'pnpm/setup': 'pnpm/setup:action.yml@0447c75 (`token` deprecated, unused)',
  'actions/setup-java': "actions/setup-java:action.yml@0097df8 (token default github.token on github.com, '' elsewhere)",
  'actions/upload-artifact/merge': 'actions/upload-artifact:merge/action.yml@0232efd',
  'actions/cache': "actions/cache:action.yml@592a609 (the copy read by default, 0019037, is a fork's)",
  'actions/upload-pages-artifact': 'actions/upload-pages-artifact:action.yml@0252fc4 (composite of upload-artifact)',
  'msys2/setup-msys2': 'msys2/setup-msys2:action.yml@0baa240',
  'jetli/wasm-bindgen-action': 'jetli/wasm-bindgen-action:action.yml@817c0fb',
  'jetli/wasm-pack-action': 'jetli/wasm-pack-action:action.yml@7380804',
  'hendrikmuhs/ccache-action': 'hendrikmuhs/ccache-action:action.yml@005b441',
  'conda-incubator/setup-miniconda': 'conda-incubator/setup-miniconda:action.yml@036481b',
  'bencherdev/bencher': 'bencherdev/bencher:action.yml@14cf54a',
  'embarkstudios/cargo-deny-action':
    'EmbarkStudios/cargo-deny-action:action.yml@e0caf87 (docker; another stored version, 15da055, is a composite that runs actions/checkout)',
  'vmactions/freebsd-vm': 'vmactions/freebsd-vm:action.yml@061db50',
  'slackapi/slack-github-action': 'slackapi/slack-github-action:action.yml@006e592',
  'taiki-e/setup-cross-toolchain-action': 'taiki-e/setup-cross-toolchain-action:action.yml@0eb33ca',
  'pypa/cibuildwheel': 'pypa/cibuildwheel:action.yml@013a7cc (composite; setup-python without token)',
  'juliangruber/read-file-action': 'juliangruber/read-file-action:action.yml@190d4b2',
  'crate-ci/typos': 'crate-ci/typos:action.yml@0708757',
  'chainguard-dev/actions/kind-diag': 'chainguard-dev/actions:kind-diag/action.yaml@0f2b1b2',
  'cargo-bins/cargo-binstall': 'cargo-bins/cargo-binstall:action.yml@07b23b5 (composite, no token input)',
  'bacongobbler/azure-blob-storage-upload': 'bacongobbler/azure-blob-storage-upload:action.yml@1bc9b77',
  'azure/artifact-signing-action': 'Azure/artifact-signing-action:action.yml@08821f2',
  'azure/trusted-signing-action': 'Azure/trusted-signing-action:action.yml@02b9af2',
  'tsickert/discord-webhook': 'tsickert/discord-webhook:action.yml@0c13d66',
  'tombi-toml/setup-tombi': 'tombi-toml/setup-tombi:action.yml@0f685ab',
  'step-security/harden-runner': 'step-security/harden-runner:action.yml@018beb8',
  'sigstore/cosign-installer': 'sigstore/cosign-installer:action.yml@0115d73',
  'sigstore/scaffolding/actions/setup':
    "sigstore/scaffolding:actions/setup/action.yml@015113f (github.token only reads sigstore/scaffolding's latest release)",
  'samuelcolvin/check-python-version': 'samuelcolvin/check-python-version:action.yml@1887907',
  'ruby/setup-ruby': 'ruby/setup-ruby:action.yml@0effb2c (a node12 version: no token input)',
  'pre-commit/action':
    'pre-commit/action:action.yml@91e5549 (composite; the copy read by default, 05732e8, is the node12 v2 with a `token` to push)',
  'pdm-project/setup-pdm': 'pdm-project/setup-pdm:action.yml@1c39d42',
  'obi1kenobi/cargo-semver-checks-action': 'obi1kenobi/cargo-semver-checks-action:action.yml@00b3af3',
  'nick-fields/retry': 'nick-fields/retry:action.yml@0842359',
  'montudor/action-zip': 'montudor/action-zip:action.yml@9a14b79',
  'lukka/run-vcpkg': 'lukka/run-vcpkg:action.yml@09d7db5',
  'golang/govulncheck-action': 'golang/govulncheck-action:action.yml@07a01e4',
  'electron/secret-service-action': 'electron/secret-service-action:action.yml@19d0c3f; README@aeff6ed',
  'depot/setup-action': 'depot/setup-action:action.yml@11b21d0; README@4fd1eb6',
  'bufbuild/buf-setup-action': 'bufbuild/buf-setup-action:action.yml@934b66f (and 0050ab7: `github_token` has no default)',
  'bufbuild/buf-lint-action':
    'bufbuild/buf-lint-action:action.yml@3d81748 (`buf_token` only; an older version, 0b60edd, required `github_token`)',
  'bufbuild/buf-breaking-action': 'bufbuild/buf-breaking-action:action.yml@b7f579f; README@09397a5',
  'bats-core/bats-action': 'bats-core/bats-action:action.yaml@07a36c8',
  'addnab/docker-run-action': 'addnab/docker-run-action:action.yml@2358843',
  'google/oss-fuzz/infra/cifuzz/actions/build_fuzzers': 'google/oss-fuzz:infra/cifuzz/actions/build_fuzzers/action.yml@e4999b8',
  'google/oss-fuzz/infra/cifuzz/actions/run_fuzzers': 'google/oss-fuzz:infra/cifuzz/actions/run_fuzzers/action.yml@86138af',
  'aws-actions/amazon-ecr-login': 'aws-actions/amazon-ecr-login:action.yml@10f1782',
  'aquasecurity/trivy-action': 'aquasecurity/trivy-action:action.yaml@0024b3f (`github-pat` is a PAT for SBOM submission)',
  'aquasecurity/setup-trivy': 'aquasecurity/setup-trivy:action.yaml@53ef279 (`token` checks out aquasecurity/trivy)',
  'haskell-actions/setup': 'haskell-actions/setup:action.yml@0564961',
  'erlef/setup-beam': 'erlef/setup-beam:action.yml@cf692c3 (`github-token` read-only)',
  'gradle/actions/setup-gradle': 'gradle/actions:setup-gradle/action.yml@06905c7; docs/setup-gradle.md@06905c7',
  'mlugg/setup-zig': 'mlugg/setup-zig:action.yml@031c6b2',
  'oven-sh/setup-bun': 'oven-sh/setup-bun:action.yml@95ed8fe (and 01789a0: no token input)',
  'arduino/setup-protoc': 'arduino/setup-protoc:action.yml@0fb3d10',
  'coverallsapp/github-action': 'coverallsapp/github-action:action.yml@0135638',
  'trufflesecurity/trufflehog': 'trufflesecurity/trufflehog:action.yml@021483f',
  'google-ml-infra/actions/setup-uv-python': 'google-ml-infra/actions:setup-uv-python/action.yml@3437ff6 (composite of astral-sh/setup-uv)',
  'dsanders11/project-actions/edit-item': 'dsanders11/project-actions:edit-item/action.yml@027f6a4 (`token` required: PAT or app token)',
  'dsanders11/project-actions/add-item': 'dsanders11/project-actions:add-item/action.yml@027f6a4 (`token` required: PAT or app token)',
  'dsanders11/project-actions/find-project':
    'dsanders11/project-actions:find-project/action.yml@3a81985 (`token` required: PAT or app token)',
  'actions/add-to-project': 'actions/add-to-project:action.yml@0609a27 (`github-token` required: a PAT)',
  'mislav/bump-homebrew-formula-action': 'mislav/bump-homebrew-formula-action:action.yml@1533e85 (no token input)',
  'autofix-ci/action': 'autofix-ci/action:action.yml@33ab42c',
  'christian-korneck/update-container-description-action': 'christian-korneck/update-container-description-action:action.yml@d360055',
  'bus1/cabuild/action/msdevshell': 'bus1/cabuild:action/msdevshell/action.yml@76921b7',
  'petarpetrovt/setup-sde': 'petarpetrovt/setup-sde:action.yml@03a68a2',
  'endbug/version-check': 'EndBug/version-check:action.yml@2902db6 (an older version, 2476fd9, has no default)',
  'prometheus/promci-setup': 'prometheus/promci-setup:action.yml@08af6d4',
  'actions/publish-action':
    'actions/publish-action:action.yml@5cdf6d6; README@0a555c8 "Recommended permissions" (the copy read by default, 56fa8c8, is unrelated)',
  'actions/create-release': 'actions/create-release:action.yml@131b819; README@0cb9c9b (env GITHUB_TOKEN)',
  'actions/upload-release-asset': 'actions/upload-release-asset:action.yml@89977b7; README@21dee7a (env GITHUB_TOKEN)',
  'pypa/gh-action-pypi-publish': 'pypa/gh-action-pypi-publish:action.yml@b526ff8; README@4864f13 "Trusted publishing"',
  'depot/build-push-action': 'depot/build-push-action:action.yml@2053cb7; README@6246e3c (a DEPOT_TOKEN env var also avoids OIDC)',
  'sigstore/gh-action-sigstore-python': 'sigstore/gh-action-sigstore-python:action.yml@607296a; README@3fd774a',
  'reviewdog/action-setup': 'reviewdog/action-setup:action.yml@12f42f5',
};

const TABLE = new Map<string, ActionPermissions>();
for (const entry of [...NO_SCOPES, ...WITH_SCOPES]) {
  const read = VERIFIED[entry.action];
  TABLE.set(entry.action, read ? { ...entry, source: `${read}; ${entry.source}`, verified: true } : { ...entry, verified: false });
}

/** The entry for `owner/repo[/path]` (case-insensitive), or undefined when the table does not know it. */
export function actionPermissions(target: string): ActionPermissions | undefined {
  return TABLE.get(target.toLowerCase());
}

/** Every entry (for documentation and tests). */
export function allActionPermissions(): ActionPermissions[] {
  return [...TABLE.values()];
}
