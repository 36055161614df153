import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Analysis } from '../../server/src/document-cache';
import { pinningHover } from '../../server/src/features/hovers/pinning';
import { parseAdvisories, parseVersionRange } from '../../server/src/resolve/advisories';
import { GitHubResolver } from '../../server/src/resolve/resolver';
import { attachSnapshot, collectSnapshot, emptySnapshot, type OnlineSnapshot } from '../../server/src/resolve/snapshot';
import { knownVulnerableActions as rule, verdict } from '../../server/src/rules/known-vulnerable-actions';
import type { Advisory } from '../../server/src/knowledge/advisories';
import type { ParsedFile } from '../../server/src/parse/document';
import { analyze } from '../../server/src/engine';
import { analysisOptions, applyFix, parseWorkflow } from '../support/analysis';
import { sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';

const GHSA = 'GHSA-2222-3333-4444';
const TJ_GHSA = 'GHSA-mrrh-fwg8-r2c3';
const TJ_BAD = '0e58ed8671d6b60d0890c21b07f8835ace038e67';

function advisory(overrides: Record<string, unknown> = {}, vulnerability: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ghsa_id: GHSA,
    cve_id: 'CVE-2024-12345',
    severity: 'critical',
    summary: 'Command injection through the title input.',
    html_url: `https://github.com/advisories/${GHSA}`,
    withdrawn_at: null,
    vulnerabilities: [
      {
        package: { ecosystem: 'actions', name: 'octo/vuln' },
        vulnerable_version_range: '< 1.1.1',
        first_patched_version: '1.1.1',
        ...vulnerability,
      },
    ],
    ...overrides,
  };
}

let gh: FakeGitHub;
before(async () => {
  gh = await standardFakeGitHub()
    .repo('octo/vuln', {
      history: ['vu-1', 'vu-2', 'vu-3', 'vu-4'],
      branches: { main: 'vu-4' },
      tags: {
        'v1.0.0': { commit: 'vu-1' },
        'v1.1.0': { commit: 'vu-2', annotated: true },
        'v1.1.1': { commit: 'vu-3', annotated: true },
        v1: { commit: 'vu-3' },
      },
    })
    .repo('tj-actions/changed-files', {
      history: ['tj-1', 'tj-2'],
      branches: { main: 'tj-2' },
      tags: { 'v45.0.7': { commit: 'tj-1' }, 'v46.0.1': { commit: 'tj-2' } },
    })
    .start();
});
after(async () => {
  await gh.stop();
});
beforeEach(() => {
  gh.reset();
  gh.advisories.clear();
  gh.advisoryBehaviour = 'ok';
  gh.advisories.set('octo/vuln', [advisory()]);
});

const resolver = (token: string | null = 'ghp_advisoryTEST') =>
  new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, token: token ?? undefined, timeoutMs: 1500 });

const workflow = (...uses: string[]) =>
  `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${uses.map((u) => `      - uses: ${u}\n`).join('')}`;

async function online(text: string, r = resolver()): Promise<{ file: ParsedFile; snapshot: OnlineSnapshot }> {
  const file = parseWorkflow(text);
  const snapshot = await collectSnapshot([file], r, { serverUrl: gh.serverUrl, memberships: false });
  attachSnapshot(file, snapshot);
  return { file, snapshot };
}

const findings = (file: ParsedFile) => analyze(file, analysisOptions({ rules: [rule] })).filter((finding) => finding.ruleId === rule.id);

describe('advisory ranges', () => {
  test('GitHub range syntax', () => {
    assert.deepEqual(parseVersionRange('< 46.0.1'), [{ fixed: '46.0.1' }]);
    assert.deepEqual(parseVersionRange('>= 4.0.0, < 4.1.3'), [{ introduced: '4.0.0', fixed: '4.1.3' }]);
    assert.deepEqual(parseVersionRange('<= 2.0.1'), [{ lastAffected: '2.0.1' }]);
    assert.deepEqual(parseVersionRange('= 1.2.3'), [{ introduced: '1.2.3', lastAffected: '1.2.3' }]);
    assert.deepEqual(parseVersionRange('1.2.3'), [{ introduced: '1.2.3', lastAffected: '1.2.3' }]);
    assert.deepEqual(parseVersionRange('> 1.0, <= 2'), [{ introduced: '1.0', introducedExclusive: true, lastAffected: '2' }]);
    for (const bad of ['', '< ', 'latest', '>= 1, >= 2', '< 1, <= 2', '= 1, < 2', '< 1, > 0, < 3', 'main', null, 42, {}]) {
      assert.equal(parseVersionRange(bad), null, String(bad));
    }
  });

  test('parsed ranges drive the verdict', () => {
    const make = (range: string): Advisory => ({
      repository: 'o/r',
      ghsa: GHSA,
      severity: 'high',
      kind: 'vulnerability',
      summary: 's',
      ranges: parseVersionRange(range)!,
      source: 'https://x',
    });
    assert.equal(verdict('v1.2.3', make('= 1.2.3')), 'affected');
    assert.equal(verdict('v1.2.4', make('= 1.2.3')), 'clear');
    assert.equal(verdict('1.2.2', make('= 1.2.3')), 'clear');
    assert.equal(verdict('v4.1.2', make('>= 4.0.0, < 4.1.3')), 'affected');
    assert.equal(verdict('v4.1.3', make('>= 4.0.0, < 4.1.3')), 'clear');
    assert.equal(verdict('v3.9.9', make('>= 4.0.0, < 4.1.3')), 'clear');
    assert.equal(verdict('v2.0.1', make('<= 2.0.1')), 'affected');
    assert.equal(verdict('v2.0.2', make('<= 2.0.1')), 'clear');
    assert.equal(verdict('v1.0.0', make('> 1.0.0, < 2')), 'clear');
    assert.equal(verdict('v1.0.1', make('> 1.0.0, < 2')), 'affected');
  });

  test('answers: malformed entries, withdrawn advisories and other packages are skipped; a missing patched version stays missing', () => {
    const parsed = parseAdvisories(
      [
        advisory(),
        advisory({ ghsa_id: 'GHSA-3333-4444-5555' }, { first_patched_version: null, vulnerable_version_range: '<= 2.0.1' }),
        advisory(
          { ghsa_id: 'GHSA-4444-5555-6666' },
          { first_patched_version: { identifier: '3.0.0' }, vulnerable_version_range: '>= 2, < 3.0.0' },
        ),
        advisory({ ghsa_id: 'GHSA-5555-6666-7777', withdrawn_at: '2024-01-01T00:00:00Z' }),
        advisory({ ghsa_id: 'GHSA-6666-7777-8888' }, { package: { ecosystem: 'actions', name: 'other/repo' } }),
        advisory({ ghsa_id: 'GHSA-7777-8888-9999' }, { package: { ecosystem: 'npm', name: 'octo/vuln' } }),
        advisory({ ghsa_id: 'not-an-id' }),
        advisory({ ghsa_id: 'GHSA-8888-9999-2222' }, { vulnerable_version_range: 'whatever' }),
        advisory({ ghsa_id: 'GHSA-9999-2222-3333', vulnerabilities: 'nope' }),
        null,
        42,
        'text',
        { ghsa_id: GHSA },
      ],
      'octo',
      'vuln',
    );
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.value.map((a) => [a.ghsa, a.firstPatched ?? null, a.severity]),
      [
        [GHSA, '1.1.1', 'high'],
        ['GHSA-3333-4444-5555', null, 'high'],
        ['GHSA-4444-5555-6666', '3.0.0', 'high'],
      ],
    );
    assert.equal(parseAdvisories({ message: 'Bad credentials' }, 'octo', 'vuln').ok, false);
    assert.equal(parseAdvisories(null, 'octo', 'vuln').ok, false);
  });
});

describe('advisory database lookups', () => {
  test('without a token: no request, the snapshot says why, the hover says so, bundled advisories still apply', async () => {
    const text = workflow('octo/vuln@v1.0.0', `tj-actions/changed-files@${TJ_BAD}`);
    const { file, snapshot } = await online(text, resolver(null));
    assert.equal(gh.count('/api/advisories'), 0, JSON.stringify(gh.requests));
    assert.match(snapshot.advisoriesSkipped ?? '', /no GitHub token/);
    assert.equal(snapshot.advisories, undefined);
    assert.ok(snapshot.repos.get('octo/vuln')?.ok, 'refs are still resolved');
    const found = findings(file);
    assert.deepEqual(
      found.map((f) => f.message.includes(TJ_GHSA)),
      [true],
    );
    const hover = pinningHover({ file } as Analysis, text.indexOf('octo/vuln') + 2);
    assert.match(hover[0].markdown, /advisory database was not queried: no GitHub token/);
  });

  test('offline: nothing is queried', async () => {
    const r = new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, token: 'ghp_x', offline: true });
    const file = parseWorkflow(workflow('octo/vuln@v1.0.0'));
    attachSnapshot(file, await collectSnapshot([file], r, { offline: true }));
    assert.equal(gh.requests.length, 0);
    assert.deepEqual(findings(file), []);
  });

  test('with a token: one request per repository (bearer, actions ecosystem), then the cache', async () => {
    const r = resolver();
    const text = workflow('octo/vuln@v1.0.0', 'octo/vuln/sub@v1.1.0', 'OCTO/Vuln@v1', 'actions/checkout@v4');
    const first = parseWorkflow(text);
    const second = parseWorkflow(workflow('octo/vuln@v1.1.1'));
    await collectSnapshot([first, second], r, { serverUrl: gh.serverUrl, memberships: false });
    const calls = gh.requests.filter((request) => request.path === '/api/advisories');
    assert.equal(calls.length, 2, 'octo/vuln and actions/checkout, once each');
    assert.ok(calls.every((call) => call.authorization === 'Bearer ghp_advisoryTEST'));
    const queries = calls.map((call) => new URLSearchParams(call.query));
    assert.deepEqual(queries.map((q) => q.get('affects')?.toLowerCase()).sort(), ['actions/checkout', 'octo/vuln']);
    assert.ok(queries.every((q) => q.get('ecosystem') === 'actions' && q.get('per_page') === '100'));
    const snapshot = await collectSnapshot([first], r, { serverUrl: gh.serverUrl, memberships: false });
    assert.equal(gh.count('/api/advisories'), 2, 'answered from the cache');
    assert.ok(snapshot.advisories?.get('octo/vuln')?.ok);
  });

  test('a tag inside the range is flagged; the fix pins the first patched release; after it, nothing', async () => {
    const text = workflow('octo/vuln@v1.0.0');
    const { file } = await online(text);
    const [finding, ...rest] = findings(file);
    assert.equal(rest.length, 0);
    assert.match(finding.message, new RegExp(`${GHSA} / CVE-2024-12345`));
    assert.match(finding.message, /upgrade to v1\.1\.1/);
    assert.equal(finding.severity, 'high');
    assert.equal(file.text.slice(finding.span.start, finding.span.end), 'v1.0.0');
    assert.equal(finding.fixes.length, 1);
    const fixed = applyFix(text, finding.fixes[0]);
    assert.equal(fixed, workflow(`octo/vuln@${sha('vu-3')} # v1.1.1`));
    const again = await online(fixed);
    assert.deepEqual(findings(again.file), []);
  });

  test('a SHA pin whose commit carries an affected tag is flagged (the tag wins over a lying comment); patched commits are not', async () => {
    const text = workflow(`octo/vuln@${sha('vu-2')} # v1.1.1`);
    const { file } = await online(text);
    const [finding, ...rest] = findings(file);
    assert.equal(rest.length, 0);
    assert.match(finding.message, /pinned to a commit tagged `v1\.1\.0`/);
    assert.equal(finding.confidence, 'high');
    const fixed = applyFix(text, finding.fixes[0]);
    assert.equal(fixed, workflow(`octo/vuln@${sha('vu-3')} # v1.1.1`));
    assert.deepEqual(findings((await online(fixed)).file), []);
    for (const clean of [
      workflow(`octo/vuln@${sha('vu-3')} # v1.1.1`),
      workflow('octo/vuln@v1.1.1'),
      workflow(`octo/vuln@${sha('vu-4')}`),
      workflow('octo/vuln@main'),
    ]) {
      assert.deepEqual(findings((await online(clean)).file), [], clean);
    }
  });

  test('online, a moving tag is judged by the release it points at now', async () => {
    assert.deepEqual(findings((await online(workflow('octo/vuln@v1'))).file), [], 'v1 is at v1.1.1');
    gh.moveTag('octo/vuln', 'v1', 'vu-2');
    try {
      const [finding] = findings((await online(workflow('octo/vuln@v1'))).file);
      assert.match(finding.message, /a moving tag, now at `v1\.1\.0`/);
      assert.equal(finding.confidence, 'high');
      assert.equal(finding.persona, 'regular');
    } finally {
      gh.moveTag('octo/vuln', 'v1', 'vu-3');
    }
  });

  test('an untagged pinned commit falls back to its version comment (medium confidence)', async () => {
    gh.advisories.set('octo/vuln', [advisory({}, { vulnerable_version_range: '<= 1.3.0', first_patched_version: null })]);
    const { file } = await online(workflow(`octo/vuln@${sha('vu-4')} # v1.2.0`));
    const [finding] = findings(file);
    assert.match(finding.message, /commented as `v1\.2\.0`/);
    assert.equal(finding.confidence, 'medium');
    assert.deepEqual(finding.fixes, [], 'no patched version, no fix');
  });

  test('= ranges and subpath packages', async () => {
    gh.advisories.set('octo/vuln', [
      advisory({}, { vulnerable_version_range: '= 1.1.0', package: { ecosystem: 'actions', name: 'octo/vuln/sub' } }),
    ]);
    assert.equal(findings((await online(workflow('octo/vuln/sub@v1.1.0'))).file).length, 1);
    assert.deepEqual(findings((await online(workflow('octo/vuln@v1.1.0'))).file), [], 'another action of the repository');
    assert.deepEqual(findings((await online(workflow('octo/vuln/sub@v1.0.0'))).file), []);
  });

  test('dedupe by GHSA id: the bundled entry wins and its malicious commit stays', async () => {
    gh.advisories.set('tj-actions/changed-files', [
      advisory(
        { ghsa_id: TJ_GHSA, cve_id: 'CVE-2025-30066' },
        {
          package: { ecosystem: 'actions', name: 'tj-actions/changed-files' },
          vulnerable_version_range: '<= 45.0.7',
          first_patched_version: '46.0.1',
        },
      ),
    ]);
    const text = workflow(
      'tj-actions/changed-files@v45.0.7',
      `tj-actions/changed-files@${TJ_BAD}`,
      `tj-actions/changed-files@${sha('tj-1')} # v45.0.7`,
    );
    const { file } = await online(text);
    const found = findings(file).filter((f) => f.message.includes(TJ_GHSA));
    assert.equal(found.length, 2, 'tag + malicious commit; a pin of a legitimate commit is not flagged for a compromise');
    assert.ok(found.every((f) => !f.message.includes('GitHub advisory database')));
  });

  test('a 500, a malformed body or a rate-limited answer gives nothing and never throw', async () => {
    for (const behaviour of ['error-500', 'malformed', 'rate-limit-429'] as const) {
      gh.advisoryBehaviour = behaviour;
      const { file, snapshot } = await online(workflow('octo/vuln@v1.0.0'));
      assert.equal(snapshot.advisories?.get('octo/vuln')?.ok, false, behaviour);
      assert.deepEqual(findings(file), [], behaviour);
    }
    gh.advisoryBehaviour = 'ok';
    for (const body of [
      { message: 'Bad credentials' },
      [{ ghsa_id: GHSA, vulnerabilities: [{ package: 'x' }] }],
      [advisory({}, { vulnerable_version_range: 7 })],
    ]) {
      gh.advisories.set('octo/vuln', body as unknown[]);
      const { file } = await online(workflow('octo/vuln@v1.0.0'));
      assert.deepEqual(findings(file), [], JSON.stringify(body));
    }
  });

  test('no snapshot or an empty one: the rule behaves as offline', () => {
    const file = parseWorkflow(workflow('octo/vuln@v1.0.0'));
    assert.deepEqual(findings(file), []);
    attachSnapshot(file, emptySnapshot(false));
    assert.deepEqual(findings(file), []);
  });
});
