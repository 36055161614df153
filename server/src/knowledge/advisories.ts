/**
 * Offline table of public advisories for GitHub Actions (the `actions` ecosystem of the GitHub
 * Advisory Database), used by `known-vulnerable-actions`. One entry per advisory and repository.
 *
 * Every id, range, patched tag and commit below was checked (Nov 2026) against the pages named in
 * `source` and `references`, which were actually read; docs/rules/known-vulnerable-actions.md has the
 * table. An entry with `unverified` set is listed for the record but never matched.
 *
 * Ranges follow the advisory's own bounds. Where an advisory says "<= X" and its CVE record says
 * "< next major" (nothing was released in between), the `fixed` bound is used so that a moving major
 * tag of the last affected series is recognised as affected.
 */

export interface VersionRange {
  /** First affected version (inclusive); absent = from the first release. */
  introduced?: string;
  /** The `introduced` bound is exclusive (`> 1.0` in a GitHub range). */
  introducedExclusive?: boolean;
  /** First version outside the range (exclusive end). */
  fixed?: string;
  /** Last affected version (inclusive end), when the advisory gives only that. */
  lastAffected?: string;
}

export interface Advisory {
  /** `owner/repo`, lowercase. */
  repository: string;
  ghsa: string;
  cve?: string;
  severity: 'high' | 'medium' | 'low';
  /**
   * `compromise`: tags were moved to malicious commits for a while (the code of the releases was fine);
   * a SHA pin to a legitimate commit was never affected, so version comments of SHA pins are not matched.
   * `vulnerability`: the released code itself is vulnerable, whatever the reference.
   */
  kind: 'compromise' | 'vulnerability';
  summary: string;
  /** Affected version ranges (empty when only specific commits were malicious). */
  ranges: VersionRange[];
  /** Known-malicious commits (full SHAs, lowercase). */
  badCommits?: string[];
  /** Tag to bump to, exactly as the repository names it; absent when no tag can be recommended. */
  patchedTag?: string;
  /** The page (read) that states the ids and the range. */
  source: string;
  /** Other pages read that confirm a field (patched version, malicious commit, CVE id). */
  references?: string[];
  /** When set, why a field could not be confirmed: the entry is documented but never matched. */
  unverified?: string;
}

export const ADVISORIES: readonly Advisory[] = [
  {
    repository: 'tj-actions/changed-files',
    ghsa: 'GHSA-mrrh-fwg8-r2c3',
    cve: 'CVE-2025-30066',
    severity: 'high',
    kind: 'compromise',
    summary:
      "its tags (v1 to v45.0.7) were moved on March 14–15, 2025 to a malicious commit that printed the runner's secrets into the build log",
    // GHSA: affected <= 45.0.7, patched 46.0.1; CVE record: versions 1 to < 46.
    ranges: [{ fixed: '46' }],
    badCommits: ['0e58ed8671d6b60d0890c21b07f8835ace038e67'],
    patchedTag: 'v46.0.1',
    source: 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3',
    references: [
      'https://raw.githubusercontent.com/github/advisory-database/bcdd7ff351551f7df4f41eecad6de58eca891ed8/advisories/github-reviewed/2025/03/GHSA-mrrh-fwg8-r2c3/GHSA-mrrh-fwg8-r2c3.json',
      'https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2025/30xxx/CVE-2025-30066.json',
      'https://www.cisa.gov/news-events/alerts/2025/03/18/supply-chain-compromise-third-party-github-action-cve-2025-30066',
    ],
  },
  {
    repository: 'tj-actions/changed-files',
    ghsa: 'GHSA-mcph-m25j-8j63',
    cve: 'CVE-2023-51664',
    severity: 'high',
    kind: 'vulnerability',
    summary:
      'changed file names were returned unescaped, so a file name with shell metacharacters injects commands into a `run:` that uses the output',
    ranges: [{ fixed: '41' }],
    patchedTag: 'v41',
    source: 'https://github.com/tj-actions/changed-files/security/advisories/GHSA-mcph-m25j-8j63',
    references: [
      'https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2023/51xxx/CVE-2023-51664.json',
      'https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-mcph-m25j-8j63.md',
    ],
  },
  {
    repository: 'reviewdog/action-setup',
    ghsa: 'GHSA-qmg3-hpqr-gqvc',
    cve: 'CVE-2025-30154',
    severity: 'high',
    kind: 'compromise',
    summary: "its `v1` tag was moved for a while in March 2025 to a malicious commit that leaked the runner's secrets",
    ranges: [],
    badCommits: ['f0d342d24037bb11d26b9bd8496e0808ba32e9ec'],
    source: 'https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2025/30xxx/CVE-2025-30154.json',
    references: [
      'https://github.com/advisories/GHSA-qmg3-hpqr-gqvc',
      'https://www.cisa.gov/news-events/alerts/2025/03/18/supply-chain-compromise-third-party-github-action-cve-2025-30066',
    ],
  },
  {
    repository: 'aquasecurity/trivy-action',
    ghsa: 'GHSA-69fq-xp46-6x23',
    cve: 'CVE-2026-33634',
    severity: 'high',
    kind: 'compromise',
    summary: '76 of its 77 tags (every one before 0.35.0) were force-pushed on March 19–20, 2026 to a credential stealer',
    ranges: [{ fixed: '0.35.0' }],
    badCommits: ['ddb9da4475c1cef7d5389062bdfdfbdbd1394648'],
    patchedTag: '0.35.0',
    source: 'https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23',
    references: [
      'https://raw.githubusercontent.com/github/advisory-database/bcdd7ff351551f7df4f41eecad6de58eca891ed8/advisories/github-reviewed/2026/03/GHSA-69fq-xp46-6x23/GHSA-69fq-xp46-6x23.json',
      'https://github.com/aquasecurity/trivy-action/issues/541',
    ],
  },
  {
    repository: 'aquasecurity/setup-trivy',
    ghsa: 'GHSA-69fq-xp46-6x23',
    cve: 'CVE-2026-33634',
    severity: 'high',
    kind: 'compromise',
    summary: 'all 7 of its tags were replaced on March 19, 2026 with malicious commits',
    ranges: [{ fixed: '0.2.6' }],
    patchedTag: 'v0.2.6',
    source: 'https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23',
    references: ['https://github.com/github/gh-aw-firewall/issues/1384', 'https://github.com/pact-foundation/pact-broker-docker/pull/329'],
  },
  {
    repository: 'actions/download-artifact',
    ghsa: 'GHSA-cxww-7g56-2vh6',
    cve: 'CVE-2024-42471',
    severity: 'high',
    kind: 'vulnerability',
    summary: 'a crafted artifact could write files outside the destination directory when extracted (path traversal)',
    ranges: [{ introduced: '4.0.0', fixed: '4.1.3' }],
    patchedTag: 'v4.1.3',
    source: 'https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-cxww-7g56-2vh6.md',
    references: ['https://github.com/advisories/GHSA-cxww-7g56-2vh6'],
  },
  {
    repository: 'dawidd6/action-download-artifact',
    ghsa: 'GHSA-5xr6-xhww-33m4',
    severity: 'high',
    kind: 'vulnerability',
    summary: 'artifacts of fork runs were searched by default (`allow_forks`), so a fork could poison what a privileged workflow downloads',
    ranges: [{ fixed: '6' }],
    patchedTag: 'v6',
    source: 'https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-5xr6-xhww-33m4.md',
    references: ['https://github.com/advisories/GHSA-5xr6-xhww-33m4'],
  },
  {
    repository: 'lycheeverse/lychee-action',
    ghsa: 'GHSA-65rg-554r-9j5x',
    cve: 'CVE-2024-48908',
    severity: 'medium',
    kind: 'vulnerability',
    summary: "an expression in its `lycheeVersion` input was interpolated into the composite action's shell script (code injection)",
    // GHSA: <= 2.0.1, patched 2.0.2.
    ranges: [{ fixed: '2.0.2' }],
    patchedTag: 'v2.0.2',
    source: 'https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-65rg-554r-9j5x.md',
    references: ['https://github.com/advisories/GHSA-65rg-554r-9j5x'],
  },
  {
    repository: 'atlassian/gajira-create',
    ghsa: 'GHSA-4xqx-pqpj-9fqw',
    cve: 'CVE-2020-14188',
    severity: 'high',
    kind: 'vulnerability',
    summary: 'a crafted GitHub issue made the action execute arbitrary code on the runner',
    ranges: [{ fixed: '2.0.1' }],
    patchedTag: 'v2.0.1',
    source: 'https://github.com/advisories/GHSA-4xqx-pqpj-9fqw',
    references: ['https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2020/14xxx/CVE-2020-14188.json'],
  },
  {
    repository: 'check-spelling/check-spelling',
    ghsa: 'GHSA-g86g-chm8-7r2p',
    cve: 'CVE-2021-32724',
    severity: 'high',
    kind: 'vulnerability',
    summary: 'on `pull_request_target` or `schedule`, a crafted pull request could expose the `GITHUB_TOKEN`',
    ranges: [{ fixed: '0.0.19' }],
    patchedTag: 'v0.0.19',
    source: 'https://github.com/advisories/GHSA-g86g-chm8-7r2p',
    references: ['https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2021/32xxx/CVE-2021-32724.json'],
  },
  {
    repository: 'gradle/gradle-build-action',
    ghsa: 'GHSA-h3qr-39j9-4r5v',
    cve: 'CVE-2023-30853',
    severity: 'high',
    kind: 'vulnerability',
    summary:
      'with the configuration cache enabled, secrets passed in environment variables could be saved into a GitHub Actions cache entry readable by untrusted workflows',
    ranges: [{ fixed: '2.4.2' }],
    patchedTag: 'v2.4.2',
    source: 'https://github.com/gradle/gradle-build-action/security/advisories/GHSA-h3qr-39j9-4r5v',
    references: ['https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-h3qr-39j9-4r5v.md'],
  },
  {
    repository: 'rlespinasse/github-slug-action',
    ghsa: 'GHSA-6q4m-7476-932w',
    cve: 'CVE-2023-27581',
    severity: 'high',
    kind: 'vulnerability',
    summary: '`github.head_ref` was substituted into its shell script, so a crafted branch name injects commands',
    // The maintainers' advisory: "Patched action is available on tag v4, tag v4.4.1, and any tag beyond."
    // Only the v4 series is matched: the advisory's lower bound for v3 was not confirmed.
    ranges: [{ introduced: '4.0.0', fixed: '4.4.1' }],
    patchedTag: 'v4.4.1',
    source: 'https://github.com/rlespinasse/github-slug-action/security/advisories/GHSA-6q4m-7476-932w',
    references: ['https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-6q4m-7476-932w.md'],
  },
  {
    repository: 'tj-actions/branch-names',
    ghsa: 'GHSA-8v8w-v8xg-79rf',
    cve: 'CVE-2023-49291',
    severity: 'high',
    kind: 'vulnerability',
    summary: 'the branch name was substituted into its shell script, so a crafted branch name injects commands',
    ranges: [{ fixed: '7.0.7' }],
    patchedTag: 'v7.0.7',
    source: 'https://github.com/advisories/GHSA-8v8w-v8xg-79rf',
    references: [
      'https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2023/49xxx/CVE-2023-49291.json',
      'https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-8v8w-v8xg-79rf.md',
    ],
  },
  {
    repository: 'tj-actions/branch-names',
    ghsa: 'GHSA-gq52-6phf-x2r6',
    cve: 'CVE-2025-54416',
    severity: 'high',
    kind: 'vulnerability',
    summary: 'command injection through branch names (CVE title: "tj-actions/branch-names Contains Command Injection Vulnerability")',
    ranges: [{ lastAffected: '8.2.1' }],
    patchedTag: 'v9.0.0',
    source: 'https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2025/54xxx/CVE-2025-54416.json',
    references: ['https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-8v8w-v8xg-79rf.md'],
    unverified:
      'the range (<= 8.2.1, fixed in 9.0.0) and the mechanism were read only in a third-party summary, not in the advisory or the CVE record',
  },
  {
    repository: 'tj-actions/verify-changed-files',
    ghsa: 'GHSA-ghm2-rq8q-wrhc',
    cve: 'CVE-2023-52137',
    severity: 'high',
    kind: 'vulnerability',
    summary:
      'changed file names were returned unescaped, so a file name with shell metacharacters injects commands into a `run:` that uses the output',
    ranges: [{ fixed: '17' }],
    patchedTag: 'v17',
    source: 'https://github.com/bash-lsp/bash-language-server/pull/1074',
    references: [
      'https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-ghm2-rq8q-wrhc.md',
      'https://github.com/tj-actions/depcheck/pull/144',
    ],
  },
];

const byRepository = new Map<string, Advisory[]>();
for (const advisory of ADVISORIES) {
  if (advisory.unverified) continue;
  const list = byRepository.get(advisory.repository) ?? [];
  list.push(advisory);
  byRepository.set(advisory.repository, list);
}

/** The verified advisories of a repository (`owner/repo`, any case). */
export function advisoriesFor(repository: string): readonly Advisory[] {
  return byRepository.get(repository.toLowerCase()) ?? [];
}
