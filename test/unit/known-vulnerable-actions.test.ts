import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { knownVulnerableActions as rule } from '../../server/src/rules/known-vulnerable-actions';
import { yaml } from '../helpers';
import { checkFix, run, texts } from './support/catalogue';

describe('known-vulnerable-actions', () => {
  test('version tags in an affected range, with a non-preferred bump fix', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: tj-actions/changed-files@v45
            - uses: tj-actions/changed-files@v46
            - uses: tj-actions/changed-files@v46.0.1
            - uses: aquasecurity/trivy-action@0.28.0
            - uses: aquasecurity/trivy-action@0.35.0
            - uses: actions/download-artifact@v4.1.2
            - uses: actions/download-artifact@v4
            - uses: actions/download-artifact@v3
    `;
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['v45', '0.28.0', 'v4.1.2']);
    assert.match(findings[0].message, /GHSA-mrrh-fwg8-r2c3 \/ CVE-2025-30066/);
    assert.match(findings[1].message, /CVE-2026-33634/);
    assert.equal(findings[0].fixes[0].isPreferred, false);
    assert.equal(findings[0].fixes[0].safety, 'unsafe');
    checkFix(rule, text, findings[1], text.replace('trivy-action@0.28.0', 'trivy-action@0.35.0'));
  });

  test('known-bad commits and version comments of SHA pins', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67
            - uses: reviewdog/action-setup@f0d342d24037bb11d26b9bd8496e0808ba32e9ec # v1
            - uses: lycheeverse/lychee-action@${'1'.repeat(40)} # v2.0.1
            - uses: lycheeverse/lychee-action@${'2'.repeat(40)} # v2.0.2
    `;
    const findings = run(rule, text);
    assert.equal(findings.length, 3);
    assert.match(findings[0].message, /malicious commit of GHSA-mrrh-fwg8-r2c3/);
    assert.match(findings[1].message, /CVE-2025-30154/);
    assert.equal(findings[2].confidence, 'medium');
    assert.deepEqual(findings[0].fixes, []);
  });

  test('unrelated actions and branches are silent', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: tj-actions/changed-files@main\n';
    assert.deepEqual(run(rule, text), []);
  });
});
