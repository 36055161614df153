/**
 * Incident regression suite: our own minimal reproductions of the enabling pattern of each incident in
 * ../shared/ANCHORS.md §1.2 (test/fixtures/incidents/<incident>/), a vulnerable and a hardened version
 * of each. docs/incidents.md is the table of this suite.
 *
 * For every incident:
 * - the vulnerable files produce exactly the expected findings at the regular persona (rule id + the
 *   flagged token, read back through `rangeText`), and the expected auditor-only findings appear at the
 *   auditor persona and not at the regular one;
 * - the hardened files (the fix a careful maintainer would apply) produce, at the regular persona, none
 *   of the rules that caught the vulnerable version, except the ones listed in `hardenedKeeps` (with the
 *   reason: the fix keeps a trigger on purpose).
 *
 * The online rule impostor-commit is exercised with a hand-made resolution snapshot (what the resolver
 * would have proven), attached to the parsed files of the incident.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/engine';
import { attachSnapshot, emptySnapshot } from '../../server/src/resolve/snapshot';
import type { CommitMembership } from '../../server/src/resolve/types';
import type { Finding } from '../../server/src/findings';
import type { Persona } from '../../shared/src/settings';
import { analysisOptions, parseAs, rangeText } from '../support/analysis';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'incidents');

interface IncidentFile {
  /** Suffix of the fixture name: `vulnerable<suffix>.yml` / `hardened<suffix>.yml`. */
  suffix: string;
  /** The path the file is analysed as (decides workflow vs action). */
  path: string;
}

interface Expected {
  rule: string;
  /** The exact text of the flagged range. */
  text: string;
  /** Which file of the incident (its suffix); '' by default. */
  file?: string;
  /** The lowest persona that shows the finding; regular by default. */
  persona?: Persona;
}

interface Incident {
  id: string;
  title: string;
  files: IncidentFile[];
  /** Every finding of the vulnerable files at the regular persona, plus the listed auditor ones. */
  expected: Expected[];
  /** Rules the hardened version still produces at the regular persona, and why. */
  hardenedKeeps?: Record<string, string>;
  /** Resolution results for the online rules, by `owner/repo@sha` (lowercase repository). */
  memberships?: Record<string, CommitMembership>;
}

const WORKFLOW: IncidentFile = { suffix: '', path: '.github/workflows/ci.yml' };

const INCIDENTS: Incident[] = [
  {
    id: 'spotbugs',
    title: 'spotbugs/sonar-findbugs (2024): pull_request_target builds the merge ref with a maintainer PAT',
    files: [WORKFLOW],
    expected: [
      { rule: 'dangerous-triggers', text: 'pull_request_target' },
      { rule: 'untrusted-checkout', text: 'mvn' },
      { rule: 'secrets-outside-env', text: 'secrets.MAINTAINER_PAT', persona: 'auditor' },
    ],
  },
  {
    id: 'artipacked',
    title: 'ArtiPACKED (2024): persisted token uploaded with the workspace',
    files: [WORKFLOW],
    expected: [{ rule: 'artipacked', text: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683' }],
  },
  {
    id: 'ultralytics',
    title: 'Ultralytics (2024): github.head_ref in a composite run:, action on a branch, cache in the publish job',
    files: [WORKFLOW, { suffix: '-action', path: 'action.yml' }],
    expected: [
      { rule: 'template-injection', text: 'github.head_ref', file: '-action' },
      { rule: 'template-injection', text: 'github.head_ref', file: '-action' },
      { rule: 'dangerous-triggers', text: 'pull_request_target' },
      { rule: 'unpinned-uses', text: 'main' },
      { rule: 'cache-poisoning', text: 'cache' },
    ],
  },
  {
    id: 'reviewdog',
    title: 'reviewdog/action-setup (2025, CVE-2025-30154): tag nested in a composite action, latest tool, moved tag',
    files: [WORKFLOW, { suffix: '-action', path: 'action.yml' }],
    expected: [
      { rule: 'unpinned-uses', text: 'v1', file: '-action' },
      { rule: 'unpinned-tools', text: 'reviewdog/action-setup@v1', file: '-action' },
      { rule: 'known-vulnerable-actions', text: 'f0d342d24037bb11d26b9bd8496e0808ba32e9ec' },
      { rule: 'impostor-commit', text: 'f0d342d24037bb11d26b9bd8496e0808ba32e9ec' },
    ],
    memberships: {
      'reviewdog/action-setup@f0d342d24037bb11d26b9bd8496e0808ba32e9ec': { status: 'impostor', checked: 14 },
      'reviewdog/action-setup@e04ffabe3898a0af8d0fb1af00c188831c4b5893': { status: 'reachable', via: 'tag v1.3.2' },
    },
  },
  {
    id: 'tj-actions',
    title: 'tj-actions/changed-files (2025, CVE-2025-30066): tag pin, and the malicious dangling commit',
    files: [WORKFLOW],
    expected: [
      { rule: 'unpinned-uses', text: 'v45' },
      { rule: 'known-vulnerable-actions', text: 'v45' },
      { rule: 'known-vulnerable-actions', text: '0e58ed8671d6b60d0890c21b07f8835ace038e67' },
      { rule: 'impostor-commit', text: '0e58ed8671d6b60d0890c21b07f8835ace038e67' },
    ],
    memberships: {
      'tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67': { status: 'impostor', checked: 512 },
      'tj-actions/changed-files@ed68ef82c095e0d48ec87eccea555d944a631a4c': { status: 'reachable', via: 'tag v46.0.5' },
    },
  },
  {
    id: 'grafana',
    title: 'Grafana (2025): branch name into actions/github-script under pull_request_target',
    files: [WORKFLOW],
    expected: [
      { rule: 'template-injection', text: 'github.event.pull_request.head.ref' },
      { rule: 'dangerous-triggers', text: 'pull_request_target' },
      { rule: 'secrets-outside-env', text: 'secrets.APP_PRIVATE_KEY', persona: 'auditor' },
    ],
    hardenedKeeps: {
      'dangerous-triggers':
        'labelling fork pull requests needs the write token of pull_request_target; the fix keeps the trigger and removes the injection',
    },
  },
  {
    id: 'nx',
    title: 'Nx s1ngularity (2025, CVE-2025-10894): PR title into a bash heredoc, no permissions, dispatchable npm publish',
    files: [WORKFLOW, { suffix: '-publish', path: '.github/workflows/publish.yml' }],
    expected: [
      { rule: 'template-injection', text: 'github.event.pull_request.title' },
      { rule: 'excessive-permissions', text: 'jobs' },
      { rule: 'dangerous-triggers', text: 'pull_request_target' },
      { rule: 'use-trusted-publishing', text: 'npm publish', file: '-publish' },
      { rule: 'secrets-outside-env', text: 'secrets.NPM_TOKEN', file: '-publish', persona: 'auditor' },
    ],
  },
  {
    // GAP (documented): the exfiltration itself — a secret in the data argument of `curl -d` to an
    // unknown host — has no signature rule. A precise one is not possible from the workflow alone: the
    // same shape is how Coverity Scan uploads work (`--post-data "token=${{ secrets.COVERITY_SCAN_TOKEN }}"`
    // to scan.coverity.com, seen in the corpus), Slack/chat webhooks and vendor APIs. What catches the
    // planted workflow is secrets-outside-env (auditor): the secret is readable outside a protected
    // environment, which is exactly what let a pushed workflow read it. The hardened version moves the
    // only job that needs the credential into an environment and removes the credential altogether
    // (Trusted Publishing). This test pins the current findings: if a future rule catches the `curl -d`,
    // add it to `expected`.
    id: 'ghostaction',
    title: 'GhostAction (2025): planted workflow posts a secret with curl -d (gap: no exfiltration signature)',
    files: [WORKFLOW],
    expected: [{ rule: 'secrets-outside-env', text: 'secrets.PYPI_API_TOKEN', persona: 'auditor' }],
  },
  {
    id: 'shai-hulud',
    title: 'Shai-Hulud 1–2 (2025): toJSON(secrets) shipped out; discussion trigger on a self-hosted runner runs the body',
    files: [WORKFLOW],
    expected: [
      { rule: 'overprovisioned-secrets', text: 'toJSON(secrets)' },
      { rule: 'self-hosted-runner', text: 'self-hosted' },
      { rule: 'template-injection', text: 'github.event.discussion.body' },
    ],
  },
  {
    id: 'posthog',
    title: 'PostHog (2025): pull_request_target runs a script of the pull request with a bot PAT',
    files: [WORKFLOW],
    expected: [
      { rule: 'untrusted-checkout', text: 'node' },
      { rule: 'dangerous-triggers', text: 'pull_request_target' },
      { rule: 'secrets-outside-env', text: 'secrets.POSTHOG_BOT_PAT', persona: 'auditor' },
    ],
    hardenedKeeps: {
      'dangerous-triggers':
        'assigning reviewers on fork pull requests needs the write token; the fix runs base-branch code only, with the job token',
    },
  },
  {
    id: 'cline',
    title: 'Cline (2026): issue title in the prompt of an open claude-code-action with Bash; cache in the nightly npm publish',
    files: [WORKFLOW, { suffix: '-nightly', path: '.github/workflows/nightly.yml' }],
    expected: [
      { rule: 'ai-agent-injection', text: 'github.event.issue.title' },
      { rule: 'cache-poisoning', text: 'cache', file: '-nightly' },
      { rule: 'use-trusted-publishing', text: 'npm publish', file: '-nightly' },
      { rule: 'secrets-outside-env', text: 'secrets.ANTHROPIC_API_KEY', persona: 'auditor' },
    ],
  },
  {
    id: 'trivy-1',
    title: 'Trivy #1 / hackerbot-claw (2026): merge-ref checkout then `uses: ./.github/actions/setup-go` with an org PAT',
    files: [WORKFLOW],
    expected: [
      { rule: 'dangerous-triggers', text: 'pull_request_target' },
      { rule: 'self-repository', text: './' },
      { rule: 'untrusted-checkout', text: './.github/actions/setup-go' },
      { rule: 'secrets-outside-env', text: 'secrets.ORG_REPO_TOKEN', persona: 'auditor' },
    ],
  },
  {
    id: 'trivy-2',
    title: 'Trivy #2 (2026, CVE-2026-33634): trivy-action by tag, setup-trivy without version, image by tag, npm -g',
    files: [WORKFLOW],
    expected: [
      { rule: 'unpinned-uses', text: '0.28.0' },
      { rule: 'known-vulnerable-actions', text: '0.28.0' },
      { rule: 'unpinned-tools', text: 'aquasecurity/trivy-action@0.28.0' },
      { rule: 'unpinned-tools', text: 'aquasecurity/setup-trivy@ff1b8b060f23b650436d419b5e13f67f5d4c3087' },
      { rule: 'unpinned-images', text: 'aquasec/trivy:latest' },
      { rule: 'adhoc-packages', text: 'snyk' },
    ],
  },
  {
    id: 'litellm',
    title: 'LiteLLM (2026, PYSEC-2026-2): apt-get install trivy and curl | sh in the job holding the PyPI password',
    files: [WORKFLOW],
    expected: [
      { rule: 'adhoc-packages', text: 'trivy' },
      { rule: 'adhoc-packages', text: 'build twine' },
      { rule: 'unverified-download', text: 'curl' },
      { rule: 'use-trusted-publishing', text: 'twine upload' },
      { rule: 'secrets-outside-env', text: 'secrets.PYPI_PASSWORD', persona: 'auditor' },
    ],
  },
  {
    id: 'prt-scan',
    title: 'prt-scan (2026): pull_request_target checks out the head and runs npm install',
    files: [WORKFLOW],
    expected: [
      { rule: 'dangerous-triggers', text: 'pull_request_target' },
      { rule: 'untrusted-checkout', text: 'npm' },
    ],
  },
  {
    id: 'elementary-data',
    title: 'elementary-data (2026): comment body in bash, no permissions; dispatched release with a PyPI password',
    files: [WORKFLOW, { suffix: '-release', path: '.github/workflows/release.yml' }],
    expected: [
      { rule: 'template-injection', text: 'github.event.comment.body' },
      { rule: 'excessive-permissions', text: 'jobs' },
      { rule: 'use-trusted-publishing', text: 'password', file: '-release' },
      { rule: 'secrets-outside-env', text: 'secrets.PYPI_PASSWORD', file: '-release', persona: 'auditor' },
    ],
  },
  {
    id: 'tanstack',
    title:
      'TanStack (2026, CVE-2026-45321): pull_request_target build writes the cache, release restores it, workflow-level id-token: write',
    files: [WORKFLOW],
    expected: [
      { rule: 'dangerous-triggers', text: 'pull_request_target' },
      { rule: 'excessive-permissions', text: 'id-token' },
      { rule: 'cache-poisoning', text: 'actions/cache@5a3ec84eff668545956fd18022155c47e93e2684' },
      { rule: 'cache-poisoning', text: 'actions/cache@5a3ec84eff668545956fd18022155c47e93e2684' },
      { rule: 'untrusted-checkout', text: 'pnpm' },
    ],
  },
];

interface Located {
  file: string;
  finding: Finding;
  text: string;
}

function analyzeIncident(incident: Incident, variant: 'vulnerable' | 'hardened', persona: Persona): Located[] {
  const out: Located[] = [];
  for (const { suffix, path } of incident.files) {
    const text = readFileSync(join(FIXTURES, incident.id, `${variant}${suffix}.yml`), 'utf8');
    const file = parseAs(text, path);
    if (incident.memberships) {
      const snapshot = emptySnapshot(false);
      for (const [key, membership] of Object.entries(incident.memberships)) snapshot.memberships.set(key, membership);
      attachSnapshot(file, snapshot);
    }
    for (const finding of analyze(file, analysisOptions({ persona }))) {
      out.push({ file: suffix, finding, text: rangeText(text, finding.range) });
    }
  }
  return out;
}

const key = (file: string, rule: string, text: string) => `${file || 'main'} ${rule} «${text}»`;

describe('incident regression suite (ANCHORS §1.2)', () => {
  test('every incident has its fixtures, and the suite covers the 17 incidents', () => {
    assert.equal(INCIDENTS.length, 17);
    for (const incident of INCIDENTS) {
      for (const { suffix } of incident.files) {
        for (const variant of ['vulnerable', 'hardened']) {
          assert.doesNotThrow(
            () => readFileSync(join(FIXTURES, incident.id, `${variant}${suffix}.yml`)),
            `${incident.id}/${variant}${suffix}.yml`,
          );
        }
      }
    }
  });

  for (const incident of INCIDENTS) {
    describe(incident.title, () => {
      test('vulnerable: exactly the expected findings at the regular persona', () => {
        const regular = analyzeIncident(incident, 'vulnerable', 'regular');
        assert.deepEqual(
          regular.filter((l) => l.finding.ruleId === 'syntax-error' || l.finding.ruleId === 'internal-error'),
          [],
        );
        const actual = regular.map((l) => key(l.file, l.finding.ruleId, l.text)).sort();
        const wanted = incident.expected
          .filter((e) => (e.persona ?? 'regular') === 'regular')
          .map((e) => key(e.file ?? '', e.rule, e.text))
          .sort();
        assert.deepEqual(actual, wanted);
      });

      const auditorOnly = incident.expected.filter((e) => e.persona === 'auditor');
      if (auditorOnly.length > 0) {
        test('vulnerable: the auditor-only findings appear at the auditor persona', () => {
          const auditor = analyzeIncident(incident, 'vulnerable', 'auditor');
          for (const e of auditorOnly) {
            const hit = auditor.find((l) => l.file === (e.file ?? '') && l.finding.ruleId === e.rule && l.text === e.text);
            assert.ok(hit, `missing ${key(e.file ?? '', e.rule, e.text)}`);
            assert.equal(hit.finding.persona, 'auditor');
          }
        });
      }

      test('hardened: none of the catching rules at the regular persona', () => {
        const regular = analyzeIncident(incident, 'hardened', 'regular');
        const kept = new Set(Object.keys(incident.hardenedKeeps ?? {}));
        const catching = new Set(incident.expected.map((e) => e.rule));
        const left = regular.filter((l) => catching.has(l.finding.ruleId) && !kept.has(l.finding.ruleId));
        assert.deepEqual(
          left.map((l) => key(l.file, l.finding.ruleId, l.text)),
          [],
        );
        // And nothing else at the regular persona either: the hardened files are what we recommend.
        assert.deepEqual(
          regular.filter((l) => !kept.has(l.finding.ruleId)).map((l) => key(l.file, l.finding.ruleId, l.text)),
          [],
        );
      });
    });
  }

  test('impostor-commit needs the resolution: without a snapshot the dangling commits are caught offline by known-vulnerable-actions only', () => {
    const text = readFileSync(join(FIXTURES, 'tj-actions', 'vulnerable.yml'), 'utf8');
    const findings = analyze(parseAs(text, WORKFLOW.path), analysisOptions({ persona: 'regular' }));
    assert.equal(findings.filter((f) => f.ruleId === 'impostor-commit').length, 0);
    assert.ok(
      findings.some(
        (f) => f.ruleId === 'known-vulnerable-actions' && rangeText(text, f.range) === '0e58ed8671d6b60d0890c21b07f8835ace038e67',
      ),
    );
  });
});
