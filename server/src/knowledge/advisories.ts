/**
 * Offline table of public advisories for GitHub Actions (the `actions` ecosystem of the GitHub
 * Advisory Database), used by `known-vulnerable-actions`. One entry per advisory and repository, with
 * its ids and where the facts were checked. Versions are compared loosely (`v4` = newest 4.x).
 *
 * Sources (checked Aug 2026 with the search tool; see docs/rules/known-vulnerable-actions.md):
 * GitHub advisory pages quoted in the projects' own issues and PRs, CISA's alert for CVE-2025-30066,
 * the maintainers' incident threads (tj-actions/changed-files#2464, reviewdog/reviewdog#2079,
 * aquasecurity/trivy-action#541).
 */

export interface VersionRange {
  /** First affected version (inclusive); absent = from the first release. */
  introduced?: string;
  /** First fixed version (exclusive end); absent = every later version too. */
  fixed?: string;
}

export interface Advisory {
  /** `owner/repo`, lowercase. */
  repository: string;
  ghsa: string;
  cve?: string;
  severity: 'high' | 'medium' | 'low';
  summary: string;
  /** Affected version ranges (empty when only specific commits were malicious). */
  ranges: VersionRange[];
  /** Known-malicious commits (full SHAs, lowercase). */
  badCommits?: string[];
  /** Tag to bump to, exactly as the repository names it; absent when no tag can be recommended. */
  patchedTag?: string;
  /** Where the facts were checked. */
  source: string;
}

export const ADVISORIES: readonly Advisory[] = [
  {
    repository: 'tj-actions/changed-files',
    ghsa: 'GHSA-mrrh-fwg8-r2c3',
    cve: 'CVE-2025-30066',
    severity: 'high',
    summary: 'every tag was moved to a malicious commit that printed the runner\'s secrets into the build log (March 14–15, 2025)',
    ranges: [{ fixed: '46.0.1' }],
    badCommits: ['0e58ed8671d6b60d0890c21b07f8835ace038e67'],
    patchedTag: 'v46.0.1',
    source: 'github.com/advisories/GHSA-mrrh-fwg8-r2c3; CISA alert 2025-03-18 ("patched in v46.0.1"); tj-actions/changed-files#2464',
  },
  {
    repository: 'tj-actions/changed-files',
    ghsa: 'GHSA-mcph-m25j-8j63',
    cve: 'CVE-2023-51664',
    severity: 'high',
    summary: 'file names containing shell metacharacters were interpolated into commands (GHSL-2023-271)',
    ranges: [{ fixed: '41.0.0' }],
    patchedTag: 'v41',
    source: 'GHSL-2023-271; guitarrapc/githubactions-lab#150 ("bump to v41 which fix GHSL-2023-271")',
  },
  {
    repository: 'reviewdog/action-setup',
    ghsa: 'GHSA-qmg3-hpqr-gqvc',
    cve: 'CVE-2025-30154',
    severity: 'high',
    summary: 'the `v1` tag pointed to a malicious commit that dumped secrets into the log (March 11, 2025, 18:42–20:31 UTC)',
    ranges: [],
    badCommits: ['f0d342d24037bb11d26b9bd8496e0808ba32e9ec'],
    source: 'reviewdog/reviewdog#2079; CISA alert for CVE-2025-30066 and CVE-2025-30154',
  },
  {
    repository: 'aquasecurity/trivy-action',
    ghsa: 'GHSA-69fq-xp46-6x23',
    cve: 'CVE-2026-33634',
    severity: 'high',
    summary: '76 of 77 tags (0.0.1 to 0.34.2) were force-pushed to a credential stealer (March 19–20, 2026); 0.35.0 was not touched',
    ranges: [{ fixed: '0.35.0' }],
    badCommits: ['ddb9da4475c1cef7d5389062bdfdfbdbd1394648'],
    patchedTag: '0.35.0',
    source: 'aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23; aquasecurity/trivy-action#541',
  },
  {
    repository: 'actions/download-artifact',
    ghsa: 'GHSA-cxww-7g56-2vh6',
    cve: 'CVE-2024-42471',
    severity: 'high',
    summary: 'a crafted artifact could write files outside the destination directory (path traversal on extraction)',
    ranges: [{ introduced: '4.0.0', fixed: '4.1.3' }],
    patchedTag: 'v4.1.3',
    source: 'github/advisory-database#4751 (GHSA-cxww-7g56-2vh6)',
  },
  {
    repository: 'dawidd6/action-download-artifact',
    ghsa: 'GHSA-5xr6-xhww-33m4',
    severity: 'high',
    summary: 'artifacts of fork runs were accepted by default (`allow_forks: true`), so a fork could poison what a privileged workflow downloads',
    ranges: [{ fixed: '6.0.0' }],
    patchedTag: 'v6',
    source: 'dawidd6/action-download-artifact#290; zizmorcore/zizmor#195',
  },
  {
    repository: 'lycheeverse/lychee-action',
    ghsa: 'GHSA-65rg-554r-9j5x',
    cve: 'CVE-2024-48908',
    severity: 'high',
    summary: 'inputs were interpolated into a shell script (code injection)',
    ranges: [{ fixed: '2.0.2' }],
    patchedTag: 'v2.0.2',
    source: 'RicherTunes/Brainarr#251 (Dependabot alert for GHSA-65rg-554r-9j5x, fixed in v2.0.2)',
  },
  {
    repository: 'atlassian/gajira-create',
    ghsa: 'GHSA-4xqx-pqpj-9fqw',
    cve: 'CVE-2020-14188',
    severity: 'high',
    summary: 'issue summaries were evaluated as code (expression injection)',
    ranges: [{ fixed: '2.0.1' }],
    patchedTag: 'v2.0.1',
    source: 'GitHub Advisory Database, actions ecosystem',
  },
  {
    repository: 'check-spelling/check-spelling',
    ghsa: 'GHSA-g86g-chm8-7r2p',
    cve: 'CVE-2021-32724',
    severity: 'high',
    summary: 'a `pull_request_target` run could leak the repository token to fork code',
    ranges: [{ fixed: '0.0.19' }],
    patchedTag: 'v0.0.19',
    source: 'GitHub Advisory Database, actions ecosystem',
  },
  {
    repository: 'gradle/gradle-build-action',
    ghsa: 'GHSA-h3qr-39j9-4r5v',
    cve: 'CVE-2023-30853',
    severity: 'high',
    summary: 'the Gradle User Home cache could capture secrets and expose them to later runs',
    ranges: [{ fixed: '2.4.2' }],
    patchedTag: 'v2.4.2',
    source: 'GitHub Advisory Database, actions ecosystem',
  },
  {
    repository: 'rlespinasse/github-slug-action',
    ghsa: 'GHSA-6q4m-7476-932w',
    cve: 'CVE-2023-27581',
    severity: 'high',
    summary: 'branch names were interpolated into a shell script (code injection)',
    ranges: [{ introduced: '4.0.0', fixed: '4.4.1' }],
    patchedTag: 'v4.4.1',
    source: 'GitHub Advisory Database, actions ecosystem',
  },
  {
    repository: 'tj-actions/branch-names',
    ghsa: 'GHSA-8v8w-v8xg-79rf',
    cve: 'CVE-2023-49291',
    severity: 'high',
    summary: 'branch names were interpolated into a shell script (code injection)',
    ranges: [{ fixed: '7.0.7' }],
    patchedTag: 'v7.0.7',
    source: 'GitHub Advisory Database, actions ecosystem',
  },
  {
    repository: 'tj-actions/verify-changed-files',
    ghsa: 'GHSA-ghm2-rq8q-wrhc',
    cve: 'CVE-2023-52137',
    severity: 'high',
    summary: 'file names were interpolated into a shell script (code injection)',
    ranges: [{ fixed: '17.0.0' }],
    patchedTag: 'v17',
    source: 'GitHub Advisory Database, actions ecosystem',
  },
];

const byRepository = new Map<string, Advisory[]>();
for (const advisory of ADVISORIES) {
  const list = byRepository.get(advisory.repository) ?? [];
  list.push(advisory);
  byRepository.set(advisory.repository, list);
}

export function advisoriesFor(repository: string): readonly Advisory[] {
  return byRepository.get(repository.toLowerCase()) ?? [];
}
