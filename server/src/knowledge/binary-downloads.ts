/**
 * Actions that download a native binary when they run (setup-* actions, tool installers), whether they check
 * what they download, and the inputs that decide it. Every entry was read in the action's own code at the
 * tag and commit its `source` names (file and line); nothing here is inferred from a README. An action that
 * is not listed is unknown, never a verdict. Read by `unverified-download` (persona pedantic).
 */

/** How an action checks the binary it downloads. */
export type BinaryVerification =
  /** No checksum or signature check in the code read (at the tag named by `source`). */
  | { kind: 'never' }
  /** Always checked (a checksum list of the release, a pinned digest, a signature), from `since` on (every version when absent). */
  | { kind: 'always'; how: string; since?: string }
  /**
   * Checked only when the caller sets `input` (`true` for a boolean, any non-empty value otherwise), from
   * `since` on; otherwise not checked.
   */
  | { kind: 'opt-in'; input: string; value: 'true' | 'non-empty'; how: string; since?: string }
  /**
   * Checked against a checksum the caller passes in `input`, else against the list bundled in the action's
   * release: a version newer than that list (what `latest` or a range selects after the action's release)
   * is installed unchecked. An exact `versionInput` is taken as covered by the list.
   */
  | { kind: 'bundled-list'; input: string; versionInput: string; how: string };

export interface BinaryDownloadAction {
  /** Lower-case `owner/repo`. */
  action: string;
  /** The binary downloaded (`uv`, `Node.js`). */
  binary: string;
  /** Where from. */
  from: string;
  verification: BinaryVerification;
  /**
   * The action looks in the runner's tool cache first (the toolchains preinstalled on GitHub-hosted images)
   * and downloads only when the version is not there; `input: true` (`check-latest`) makes it resolve the
   * newest release first, which the image often does not hold yet. Reported only with that input on: which
   * versions an image holds is not known offline.
   */
  toolCacheFirst?: { input: string };
  /** An input whose values mean no binary is downloaded (golangci-lint-action's `install-mode: goinstall`). */
  noDownload?: { input: string; values: readonly string[] };
  /** What to do when it is reported (Markdown). */
  advice: string;
  /** Where this was read: repository, tag (commit) and file:line. */
  source: string;
}

export const BINARY_DOWNLOAD_ACTIONS: readonly BinaryDownloadAction[] = [
  {
    action: 'astral-sh/setup-uv',
    binary: 'uv',
    from: 'the GitHub releases of astral-sh/uv',
    verification: {
      kind: 'bundled-list',
      input: 'checksum',
      versionInput: 'version',
      how: 'sha256 against `checksum:` or the KNOWN_CHECKSUMS list bundled in the action release; a version missing from that list is not checked',
    },
    advice: 'pass `checksum:` (the sha256 of the uv archive) with an exact `version:`',
    source: 'astral-sh/setup-uv v10.0.1 (20cfd1bf945f4377ade1205e4dbc17946fc9a30d) src/download/checksum/checksum.ts:16-21',
  },
  {
    action: 'actions/setup-node',
    binary: 'Node.js',
    from: 'nodejs.org (or the actions/node-versions manifest)',
    verification: { kind: 'never' },
    toolCacheFirst: { input: 'check-latest' },
    advice:
      'drop `check-latest: true`, so that the Node.js preinstalled on the runner image is used when it matches (a download is never checked)',
    source: 'actions/setup-node v7.0.0 (820762786026740c76f36085b0efc47a31fe5020) src/distributions/base-distribution.ts:29-41,144',
  },
  {
    action: 'actions/setup-python',
    binary: 'Python',
    from: 'the actions/python-versions releases',
    verification: { kind: 'never' },
    toolCacheFirst: { input: 'check-latest' },
    advice:
      'drop `check-latest: true`, so that the Python preinstalled on the runner image is used when it matches (a download is never checked)',
    source: 'actions/setup-python v7.0.0 (5fda3b95a4ea91299a34e894583c3862153e4b97) src/install-python.ts:294, src/find-python.ts:82-114',
  },
  {
    action: 'actions/setup-go',
    binary: 'Go',
    from: 'go.dev (or the actions/go-versions manifest)',
    verification: { kind: 'never' },
    toolCacheFirst: { input: 'check-latest' },
    advice:
      'drop `check-latest: true`, so that the Go preinstalled on the runner image is used when it matches (a download is never checked)',
    source: 'actions/setup-go v7.0.0 (b7ad1dad31e06c5925ef5d2fc7ad053ef454303e) src/installer.ts:95-131,339',
  },
  {
    action: 'actions/setup-java',
    binary: 'the JDK',
    from: "the distribution's download server",
    verification: {
      kind: 'opt-in',
      input: 'verify-signature',
      value: 'true',
      how: "the distribution's signature (temurin and microsoft only)",
      since: 'v5.5.0',
    },
    advice: 'pass `verify-signature: true` with `distribution: temurin` or `microsoft` (setup-java v5.5.0 or later)',
    source:
      'actions/setup-java v5.7.0 (b6effb05e454b25005698d916606bdc6ffcbf961) src/distributions/temurin/installer.ts:88, action.yml:37; input added in v5.5.0 (0f481fcb613427c0f801b606911222b5b6f3083a)',
  },
  {
    action: 'denoland/setup-deno',
    binary: 'deno',
    from: 'dl.deno.land or the GitHub releases of denoland/deno',
    verification: { kind: 'never' },
    advice: 'nothing the caller can pass turns a check on; download the release yourself and check its published sha256',
    source: 'denoland/setup-deno v2.0.4 (667a34cdef165d8d2b2e98dde39547c9daac7282) src/install.ts:39',
  },
  {
    action: 'oven-sh/setup-bun',
    binary: 'bun',
    from: 'the GitHub releases of oven-sh/bun (or `bun-download-url`)',
    verification: { kind: 'never' },
    advice: 'nothing the caller can pass turns a check on; download the release yourself and check its published sha256',
    source: 'oven-sh/setup-bun v2.2.0 (0c5077e51419868618aeaa5fe8019c62421857d6) src/action.ts:182',
  },
  {
    action: 'rui314/setup-mold',
    binary: 'mold',
    from: 'the GitHub releases of rui314/mold (`wget | tar` over /usr/local)',
    verification: { kind: 'never' },
    advice:
      "nothing the caller can pass turns a check on; install mold from the distribution's package manager, or download it yourself and check its sha256",
    source: 'rui314/setup-mold v1 (725a8794d15fc7563f59595bd9556495c0564878) action.yml:17',
  },
  {
    action: 'ko-build/setup-ko',
    binary: 'ko',
    from: 'the GitHub releases of ko-build/ko (`curl | tar` into /usr/local/bin)',
    verification: { kind: 'never' },
    advice:
      'nothing the caller can pass turns a check on; install ko with `go install` at a pinned version (checked by the Go checksum database)',
    source: 'ko-build/setup-ko v0.10 (61b4d1d396f5b2e7d6bb6fefdce3dc38d1a13445) action.yml:60',
  },
  {
    action: 'bufbuild/buf-setup-action',
    binary: 'buf',
    from: 'the GitHub releases of bufbuild/buf',
    verification: { kind: 'never' },
    advice:
      'nothing the caller can pass turns a check on; install buf with `go install` at a pinned version, or check the release sha256 yourself',
    source: 'bufbuild/buf-setup-action v1.50.0 (a47c93e0b1648d5651a065437926377d060baa99) src/buf.ts:46',
  },
  {
    action: 'pyo3/maturin-action',
    binary: 'maturin',
    from: 'the GitHub releases of PyO3/maturin',
    verification: { kind: 'never' },
    advice: 'nothing the caller can pass turns a check on; install maturin from PyPI with hashes (`pip install --require-hashes`) instead',
    source: 'PyO3/maturin-action v1.51.0 (e83996d129638aa358a18fbd1dfb82f0b0fb5d3b) src/index.ts:550',
  },
  {
    action: 'hashicorp/setup-terraform',
    binary: 'terraform',
    from: 'releases.hashicorp.com',
    verification: { kind: 'never' },
    advice: "nothing the caller can pass turns a check on; download Terraform yourself and check it against HashiCorp's signed SHA256SUMS",
    source: 'hashicorp/setup-terraform v4.0.1 (dfe3c3f87815947d99a8997f908cb6525fc44e9e) lib/setup-terraform.js:39,155',
  },
  {
    action: 'golangci/golangci-lint-action',
    binary: 'golangci-lint',
    from: 'the GitHub releases of golangci/golangci-lint',
    verification: { kind: 'never' },
    noDownload: { input: 'install-mode', values: ['goinstall', 'none'] },
    advice: 'set `install-mode: goinstall` (built with `go install`, checked by the Go checksum database)',
    source: 'golangci/golangci-lint-action v9.3.0 (ba0d7d2ec06a0ea1cb5fa41b2e4a3ab91d21278a) src/install.ts:138, action.yml:21-23',
  },
  {
    action: 'goreleaser/goreleaser-action',
    binary: 'goreleaser',
    from: 'the GitHub releases of goreleaser/goreleaser',
    verification: { kind: 'always', how: "sha256 against the release's checksums.txt", since: 'v7.1.0' },
    advice: 'use goreleaser-action v7.1.0 or later, which checks the archive against the release checksums',
    source:
      'goreleaser/goreleaser-action v7.2.3 (f06c13b6b1a9625abc9e6e439d9c05a8f2190e94) src/goreleaser.ts:22,48-72; first in v7.1.0 (e24998b8b67b290c2fa8b7c14fcfa7de2c5c9b8c)',
  },
  {
    action: 'sigstore/cosign-installer',
    binary: 'cosign',
    from: 'the GitHub releases of sigstore/cosign',
    verification: {
      kind: 'always',
      how: 'a bootstrap cosign checked against a sha256 in the action, which then verifies the signature of the requested release',
    },
    advice: '',
    source: 'sigstore/cosign-installer v4.1.2 (6f9f17788090df1f26f669e9d70d6ae9567deba6) action.yml:196-203,246-263',
  },
];

const byAction = new Map(BINARY_DOWNLOAD_ACTIONS.map((entry) => [entry.action, entry]));

/** The entry of `owner/repo` (any case), or undefined. */
export function binaryDownloadAction(repository: string): BinaryDownloadAction | undefined {
  return byAction.get(repository.toLowerCase());
}
