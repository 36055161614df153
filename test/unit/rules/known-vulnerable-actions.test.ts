import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADVISORIES, advisoriesFor } from '../../../server/src/knowledge/advisories';
import { knownVulnerableActions as rule, verdict } from '../../../server/src/rules/known-vulnerable-actions';
import { yaml } from '../../support/analysis';
import { checkFix, MALFORMED, run, texts } from '../../support/catalogue-rules';

function steps(...uses: string[]): string {
  return `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${uses.map((u) => `      - uses: ${u}\n`).join('')}`;
}

const only = (repository: string, ghsa: string) => {
  const advisory = ADVISORIES.find((a) => a.repository === repository && a.ghsa === ghsa);
  assert.ok(advisory, `${repository} ${ghsa} is in the table`);
  return advisory;
};

describe('known-vulnerable-actions: the bundled table', () => {
  test('every entry names well-formed ids, an https source, lowercase full SHAs and a patched tag outside its ranges', () => {
    for (const advisory of ADVISORIES) {
      const name = `${advisory.repository} ${advisory.ghsa}`;
      assert.match(advisory.ghsa, /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/, name);
      if (advisory.cve) assert.match(advisory.cve, /^CVE-\d{4}-\d{4,}$/, name);
      assert.match(advisory.source, /^https:\/\//, name);
      for (const reference of advisory.references ?? []) assert.match(reference, /^https:\/\//, name);
      assert.equal(advisory.repository, advisory.repository.toLowerCase(), name);
      for (const sha of advisory.badCommits ?? []) assert.match(sha, /^[0-9a-f]{40}$/, name);
      assert.ok(advisory.ranges.length > 0 || (advisory.badCommits ?? []).length > 0, `${name} can match something`);
      if (advisory.patchedTag)
        assert.equal(verdict(advisory.patchedTag, advisory), 'clear', `${name}: the patched tag is outside the range`);
    }
  });

  test('unverified entries are documented but never matched', () => {
    const unverified = ADVISORIES.filter((a) => a.unverified);
    assert.ok(unverified.length > 0);
    for (const advisory of unverified) assert.ok(!advisoriesFor(advisory.repository).includes(advisory));
    assert.deepEqual(run(rule, steps('tj-actions/branch-names@v8.2.1')), []);
  });

  test('lookups ignore the case of the repository', () => {
    assert.equal(advisoriesFor('TJ-Actions/Changed-Files').length, 2);
  });
});

describe('known-vulnerable-actions: version matching', () => {
  const download = only('actions/download-artifact', 'GHSA-cxww-7g56-2vh6');
  const changed = only('tj-actions/changed-files', 'GHSA-mrrh-fwg8-r2c3');
  const trivy = only('aquasecurity/trivy-action', 'GHSA-69fq-xp46-6x23');
  const spelling = only('check-spelling/check-spelling', 'GHSA-g86g-chm8-7r2p');

  test('exact versions, with and without a v prefix', () => {
    assert.equal(verdict('v4.1.2', download), 'affected');
    assert.equal(verdict('4.1.2', download), 'affected');
    assert.equal(verdict('v4.1.3', download), 'clear');
    assert.equal(verdict('v4.0.0', download), 'affected');
    assert.equal(verdict('v3.9.9', download), 'clear');
    assert.equal(verdict('0.34.2', trivy), 'affected');
    assert.equal(verdict('v0.35.0', trivy), 'clear');
    assert.equal(verdict('v45.0.7', changed), 'affected');
    assert.equal(verdict('v46.0.0', changed), 'clear');
  });

  test('a prerelease of the fixed version is still affected; a prerelease after it is not', () => {
    assert.equal(verdict('v4.1.3-rc.1', download), 'affected');
    assert.equal(verdict('v0.0.19', spelling), 'clear');
    assert.equal(verdict('0.0.17-alpha', spelling), 'affected');
    assert.equal(verdict('v4.1.4-rc.1', download), 'clear');
  });

  test('moving tags: affected when the newest release of the series is, "maybe" when the fix is inside the series', () => {
    assert.equal(verdict('v45', changed), 'affected');
    assert.equal(verdict('v46', changed), 'clear');
    assert.equal(verdict('v4', download), 'maybe');
    assert.equal(verdict('v4.1', download), 'maybe');
    assert.equal(verdict('v4.0', download), 'affected');
    assert.equal(verdict('v4.2', download), 'clear');
    assert.equal(verdict('v3', download), 'clear');
    assert.equal(verdict('0.34', trivy), 'affected');
    assert.equal(verdict('v0', trivy), 'maybe');
  });

  test('refs that are not versions never match', () => {
    assert.equal(verdict('main', changed), 'clear');
    assert.equal(verdict('v', changed), 'clear');
    assert.equal(verdict('release/v1', changed), 'clear');
  });
});

describe('known-vulnerable-actions: findings', () => {
  test('tags inside a range, per advisory (positive), and their patched tags (negative)', () => {
    const cases: [string, string, RegExp][] = [
      ['tj-actions/changed-files@v45.0.7', 'tj-actions/changed-files@v46.0.1', /GHSA-mrrh-fwg8-r2c3 \/ CVE-2025-30066/],
      ['aquasecurity/trivy-action@0.28.0', 'aquasecurity/trivy-action@0.35.0', /CVE-2026-33634/],
      ['aquasecurity/setup-trivy@v0.2.5', 'aquasecurity/setup-trivy@v0.2.6', /GHSA-69fq-xp46-6x23/],
      ['actions/download-artifact@v4.1.2', 'actions/download-artifact@v4.1.3', /CVE-2024-42471/],
      ['dawidd6/action-download-artifact@v5', 'dawidd6/action-download-artifact@v6', /GHSA-5xr6-xhww-33m4:/],
      ['lycheeverse/lychee-action@v2.0.1', 'lycheeverse/lychee-action@v2.0.2', /CVE-2024-48908/],
      ['atlassian/gajira-create@v2.0.0', 'atlassian/gajira-create@v2.0.1', /CVE-2020-14188/],
      ['check-spelling/check-spelling@v0.0.18', 'check-spelling/check-spelling@v0.0.19', /CVE-2021-32724/],
      ['gradle/gradle-build-action@v2.4.0', 'gradle/gradle-build-action@v2.4.2', /CVE-2023-30853/],
      ['rlespinasse/github-slug-action@v4.4.0', 'rlespinasse/github-slug-action@v4.4.1', /CVE-2023-27581/],
      ['tj-actions/branch-names@v7.0.6', 'tj-actions/branch-names@v7.0.7', /CVE-2023-49291/],
      ['tj-actions/verify-changed-files@v16', 'tj-actions/verify-changed-files@v17', /CVE-2023-52137/],
    ];
    for (const [bad, good, id] of cases) {
      const findings = run(rule, steps(bad));
      assert.equal(findings.length, 1, bad);
      assert.match(findings[0].message, id, bad);
      assert.equal(findings[0].confidence, 'high', bad);
      assert.deepEqual(run(rule, steps(good)), [], good);
    }
  });

  test('a version in two ranges gets one finding per advisory; severity follows the advisory', () => {
    const findings = run(rule, steps('tj-actions/changed-files@v40'));
    assert.deepEqual(findings.map((f) => f.message.match(/GHSA-[\w-]+/)?.[0]).sort(), ['GHSA-mcph-m25j-8j63', 'GHSA-mrrh-fwg8-r2c3']);
    assert.equal(run(rule, steps('lycheeverse/lychee-action@v2.0.1'))[0].severity, 'medium');
  });

  test('the finding covers the ref; compromised tags ask to rotate secrets; the bump fix is non-preferred and unsafe', () => {
    const text = steps('tj-actions/changed-files@v45', 'aquasecurity/trivy-action@0.28.0');
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['v45', '0.28.0']);
    assert.match(findings[0].message, /moving tag whose newest release is affected/);
    assert.match(findings[0].message, /rotate every secret/);
    assert.equal(findings[0].fixes[0].isPreferred, false);
    assert.equal(findings[0].fixes[0].safety, 'unsafe');
    checkFix(rule, text, findings[0], text.replace('changed-files@v45', 'changed-files@v46.0.1'));
    checkFix(rule, text, findings[1], text.replace('trivy-action@0.28.0', 'trivy-action@0.35.0'));
  });

  test('a moving tag whose series contains the fix is reported at medium confidence for pedantic users only', () => {
    const text = steps('actions/download-artifact@v4');
    const [finding] = run(rule, text);
    assert.equal(finding.confidence, 'medium');
    assert.equal(finding.persona, 'pedantic');
    assert.match(finding.message, /moving tag .* safe only if the tag now points at the fix \(v4\.1\.3\)/);
    assert.deepEqual(run(rule, text, { persona: 'regular' }), []);
    assert.deepEqual(run(rule, steps('actions/download-artifact@v3')), []);
  });

  test('known-malicious commits are always high confidence, whatever the comment says', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67 # v46.0.1
            - uses: reviewdog/action-setup@F0D342D24037BB11D26B9BD8496E0808BA32E9EC
            - uses: aquasecurity/trivy-action@ddb9da4475c1cef7d5389062bdfdfbdbd1394648 # 0.35.0
    `;
    const findings = run(rule, text);
    assert.equal(findings.length, 3);
    assert.match(findings[0].message, /malicious commit of GHSA-mrrh-fwg8-r2c3/);
    assert.match(findings[1].message, /CVE-2025-30154/);
    assert.match(findings[2].message, /CVE-2026-33634/);
    for (const finding of findings) {
      assert.equal(finding.confidence, 'high');
      assert.equal(finding.severity, 'high');
      assert.deepEqual(finding.fixes, []);
    }
  });

  test('version comments of SHA pins: medium confidence for vulnerable releases, nothing for tag compromises or moving comments', () => {
    const sha = (c: string) => c.repeat(40);
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: lycheeverse/lychee-action@${sha('1')} # v2.0.1
            - uses: lycheeverse/lychee-action@${sha('2')} # v2.0.2
            - uses: tj-actions/changed-files@${sha('3')} # v45.0.7
            - uses: aquasecurity/trivy-action@${sha('4')} # 0.34.2
            - uses: actions/download-artifact@${sha('5')} # v4
            - uses: tj-actions/changed-files@${sha('6')} # v40
            - uses: gradle/gradle-build-action@${sha('7')}
    `;
    const findings = run(rule, text);
    assert.equal(findings.length, 2);
    assert.match(findings[0].message, /commented as `v2.0.1`, affected by GHSA-65rg-554r-9j5x/);
    assert.match(findings[1].message, /commented as `v40`, affected by GHSA-mcph-m25j-8j63/);
    for (const finding of findings) assert.equal(finding.confidence, 'medium');
  });

  test('unrelated actions, branches, local and docker references are silent', () => {
    const text = steps(
      'actions/checkout@v4',
      'tj-actions/changed-files@main',
      'reviewdog/action-setup@v1',
      './.github/actions/changed-files',
      'docker://tj-actions/changed-files:v45',
      'some-org/changed-files@v45',
    );
    assert.deepEqual(run(rule, text), []);
  });

  test('composite actions are checked too', () => {
    const text = 'runs:\n  using: composite\n  steps:\n    - uses: tj-actions/changed-files@v44.5.1\n';
    const findings = run(rule, text, { path: 'action.yml' });
    // 44.5.1 is past the fix of GHSA-mcph-m25j-8j63 (41) but inside GHSA-mrrh-fwg8-r2c3.
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /GHSA-mrrh-fwg8-r2c3/);
  });

  test('malformed documents never throw', () => {
    for (const text of MALFORMED) assert.doesNotThrow(() => run(rule, text));
  });
});
