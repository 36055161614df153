import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyFix, findingsOf, parseWorkflow, rangeText, toCRLF } from '../helpers';
import { inferWorkflowPermissions } from '../../server/src/permissions/infer';
import { analyzeRun, ghApiNeed } from '../../server/src/permissions/run-heuristics';
import { analyzeGithubScript } from '../../server/src/permissions/github-script';
import { allActionPermissions } from '../../server/src/knowledge/action-permissions';
import { MOVE_WRITES_TITLE } from '../../server/src/fixes/permissions';

const RULE = { ruleId: 'excessive-permissions' } as const;
const MOVE = MOVE_WRITES_TITLE;

export const DONE_WHEN = `name: CI
on:
  pull_request:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
  comment:
    runs-on: ubuntu-latest
    steps:
      - run: gh pr comment "$PR" --body "thanks"
        env:
          GH_TOKEN: \${{ github.token }}
          PR: \${{ github.event.pull_request.number }}
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: results.sarif
  pages:
    runs-on: ubuntu-latest
    environment: github-pages
    steps:
      - uses: actions/deploy-pages@v4
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
`;

function infer(text: string) {
  const file = parseWorkflow(text);
  return Object.fromEntries(inferWorkflowPermissions(file.workflow!).map((job) => [job.jobId, { scopes: Object.fromEntries(job.scopes.map((s) => [s.scope, s.level])), unknowns: job.unknowns.map((u) => u.reason) }]));
}

function declared(text: string, job: string): Record<string, string> {
  const view = parseWorkflow(text).workflow!.job(job)!.child('permissions');
  return Object.fromEntries(view.entries.map((e) => [e.key, view.string(e.key)!.value]));
}

describe('least privilege: the done-when workflow', () => {
  test('one preferred quick fix writes `permissions: {}` and exactly the needed per-job blocks', () => {
    const [finding] = findingsOf(DONE_WHEN, RULE);
    const preferred = finding.fixes.filter((fix) => fix.isPreferred);
    assert.equal(preferred.length, 1);
    assert.equal(preferred[0].title, 'Add least-privilege permissions');
    const after = applyFix(DONE_WHEN, preferred[0]);
    assert.deepEqual(parseWorkflow(after).problems, []);
    assert.match(after, /\npermissions: \{\}\njobs:\n/);
    assert.deepEqual(declared(after, 'build'), { contents: 'read' });
    assert.deepEqual(declared(after, 'comment'), { 'pull-requests': 'write' });
    assert.deepEqual(declared(after, 'scan'), { 'security-events': 'write' });
    assert.deepEqual(declared(after, 'pages'), { 'id-token': 'write', pages: 'write' });
    assert.deepEqual(declared(after, 'publish'), { 'id-token': 'write' });
    assert.ok(after.includes('      pull-requests: write  # gh pr comment\n'));
    assert.ok(after.includes('      contents: read  # actions/checkout\n'));
    // The finding is gone and nothing else changed: removing the inserted lines gives the original back.
    assert.deepEqual(findingsOf(after, RULE), []);
    const inserted = after.split('\n').filter((line) => !DONE_WHEN.split('\n').includes(line));
    assert.ok(inserted.every((line) => /permissions|: (read|write)  # /.test(line)), inserted.join('\n'));
    assert.equal(after.split('\n').filter((line) => !inserted.includes(line)).join('\n'), DONE_WHEN);
    // Idempotent: nothing left to fix.
    assert.equal(findingsOf(after, { ruleId: 'excessive-permissions', persona: 'auditor' }).flatMap((f) => f.fixes).length, 0);
  });

  test('CRLF and 4-space indentation are kept', () => {
    const text = toCRLF(DONE_WHEN);
    const [finding] = findingsOf(text, RULE);
    const after = applyFix(text, finding.fixes.find((fix) => fix.isPreferred)!);
    assert.equal(/(?<!\r)\n/.test(after), false);
    assert.ok(after.includes('\r\n    permissions:\r\n      pull-requests: write  # gh pr comment\r\n'));
    assert.deepEqual(findingsOf(after, RULE), []);
    const four = 'on: push\njobs:\n    a:\n        runs-on: x\n        steps:\n            -   uses: actions/checkout@v4\n';
    const fixed = applyFix(four, findingsOf(four, RULE)[0].fixes.find((fix) => fix.isPreferred)!);
    assert.equal(fixed, 'on: push\npermissions: {}\njobs:\n    a:\n        runs-on: x\n        permissions:\n            contents: read  # actions/checkout\n        steps:\n            -   uses: actions/checkout@v4\n');
  });
});

describe('inference', () => {
  test('gh subcommands, gh api methods and token flow', () => {
    const text = `on: issues
jobs:
  a:
    runs-on: x
    env:
      GH_TOKEN: \${{ secrets.GITHUB_TOKEN }}
    steps:
      - run: |
          gh issue edit "$N" --add-label triage
          gh api repos/$GITHUB_REPOSITORY/releases --jq '.[0]'
          gh api -X POST repos/{owner}/{repo}/statuses/$SHA -f state=success
  pat:
    runs-on: x
    steps:
      - run: gh pr merge --auto "$PR"
        env:
          GH_TOKEN: \${{ secrets.BOT_PAT }}
  graphql:
    runs-on: x
    steps:
      - run: gh api graphql -f query=x
        env:
          GH_TOKEN: \${{ github.token }}
`;
    const result = infer(text);
    assert.deepEqual(result.a, { scopes: { contents: 'read', issues: 'write', statuses: 'write' }, unknowns: [] });
    assert.deepEqual(result.pat, { scopes: {}, unknowns: [] }, 'a PAT is not the job token');
    assert.deepEqual(result.graphql.scopes, {});
    assert.match(result.graphql.unknowns[0], /graphql/);
  });

  test('actions: defaults, overridden tokens, input conditions, unknown actions', () => {
    const text = `on: push
jobs:
  a:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
        with: { token: "\${{ secrets.PAT }}" }
      - uses: softprops/action-gh-release@v2
      - uses: aws-actions/configure-aws-credentials@v4
        with: { role-to-assume: arn:x, aws-region: us-east-1 }
      - uses: aws-actions/configure-aws-credentials@v4
        with: { aws-access-key-id: x, aws-secret-access-key: y, aws-region: z }
  b:
    runs-on: x
    steps:
      - uses: someone/unknown-action@v1
      - uses: ./local
  c:
    runs-on: x
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            await github.rest.issues.createComment({ ...context.repo, issue_number: 1, body: 'hi' })
            await github.rest.pulls.get({ ...context.repo, pull_number: 1 })
`;
    const result = infer(text);
    assert.deepEqual(result.a, { scopes: { contents: 'write', 'id-token': 'write' }, unknowns: [] });
    assert.deepEqual(result.b.scopes, {});
    assert.equal(result.b.unknowns.length, 2);
    assert.deepEqual(result.c, { scopes: { issues: 'write', 'pull-requests': 'read' }, unknowns: [] });
  });

  test('git push uses the checkout credentials; OIDC publishing; reusable workflows are unknown', () => {
    const text = `on: push
jobs:
  push:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
      - run: git push origin HEAD:gh-pages
  nopersist:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
        with: { persist-credentials: false }
      - run: git push
  publish:
    runs-on: x
    steps:
      - run: uv publish
      - run: npm publish --provenance
        env: { NODE_AUTH_TOKEN: x }
  call:
    uses: ./.github/workflows/reusable.yml
`;
    const result = infer(text);
    assert.deepEqual(result.push.scopes, { contents: 'write' });
    assert.deepEqual(result.nopersist.scopes, { contents: 'read' });
    assert.deepEqual(result.publish.scopes, { 'id-token': 'write' });
    assert.match(result.call.unknowns[0], /reusable workflow/);
  });

  test('heuristic units', () => {
    assert.deepEqual(ghApiNeed(['repos/o/r/issues/1/comments', '-f', 'body=x']), { scope: 'comment', level: 'write', path: 'repos/o/r/issues/1/comments' });
    assert.deepEqual(ghApiNeed(['--method', 'DELETE', 'repos/o/r/actions/caches/1']), { scope: 'actions', level: 'write', path: 'repos/o/r/actions/caches/1' });
    assert.equal(ghApiNeed(['rate_limit']), null);
    const run = analyzeRun('# gh pr merge\nmkdocs gh-deploy --force && gh release upload v1 x.tar.gz', { jobTokenEnv: new Set(), env: new Set() });
    assert.deepEqual(run.needs.map((n) => `${n.scope}:${n.level}:${n.what}`), ['contents:write:mkdocs gh-deploy', 'contents:write:gh release upload']);
    assert.match(analyzeGithubScript('await github.request("GET /x")').unknowns[0], /request/);
  });

  test('every table entry names a source and uses known scopes', () => {
    const known = new Set(['actions', 'artifact-metadata', 'attestations', 'checks', 'code-quality', 'contents', 'deployments', 'discussions', 'id-token', 'issues', 'models', 'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses', 'comment']);
    const entries = allActionPermissions();
    assert.ok(entries.length >= 150, `${entries.length} entries`);
    for (const entry of entries) {
      assert.ok(entry.source.length > 5, entry.action);
      assert.equal(entry.action, entry.action.toLowerCase());
      for (const need of entry.scopes) assert.ok(known.has(need.scope), `${entry.action}: ${need.scope}`);
    }
  });

  test('malformed input never throws', () => {
    for (const text of ['jobs: 3', 'jobs:\n  a: [1]\n', 'jobs:\n  a:\n    steps: {x: 1}\n', 'jobs:\n  a:\n    steps:\n      - uses: [x]\n      - run: {a: 1}\n      - with: 3\n', 'on: push\njobs:\n  a:\n    env: 3\n    steps:\n      - run: gh api\n        env: [1]\n']) {
      assert.doesNotThrow(() => infer(text));
      assert.doesNotThrow(() => findingsOf(text));
    }
  });
});

describe('excessive-permissions: the complete picture', () => {
  test('move workflow-level writes into the jobs that use them', () => {
    const text = `on: push
permissions:
  contents: read  # everyone reads
  pull-requests: write
jobs:
  build:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
  label:
    runs-on: x
    steps:
      - uses: actions/labeler@v5
`;
    const [finding] = findingsOf(text, RULE);
    assert.equal(rangeText(text, finding.range), 'pull-requests');
    assert.match(finding.message, /used by `label`/);
    const move = finding.fixes.find((fix) => fix.title.startsWith('Move'))!;
    assert.ok(move.isPreferred);
    const after = applyFix(text, move);
    assert.ok(after.includes('permissions:\n  contents: read  # everyone reads\njobs:'));
    assert.deepEqual(declared(after, 'label'), { contents: 'read', 'pull-requests': 'write' });
    assert.equal(parseWorkflow(after).workflow!.job('build')!.permissions, undefined);
    assert.deepEqual(findingsOf(after, RULE), []);
  });

  test('write-all at job level: the job-level fix writes the minimal block', () => {
    const text = 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    permissions: write-all\n    steps:\n      - uses: actions/checkout@v4\n';
    const [finding] = findingsOf(text, RULE);
    const fix = finding.fixes[0];
    assert.equal(fix.title, 'Add minimal permissions to this job');
    const after = applyFix(text, fix);
    assert.deepEqual(declared(after, 'a'), { contents: 'read' });
    assert.deepEqual(findingsOf(after, RULE), []);
  });

  test('pedantic: a job-level write scope nothing uses', () => {
    const text = 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    permissions:\n      contents: write  # why not\n      issues: write\n    steps:\n      - uses: actions/checkout@v4\n';
    assert.deepEqual(findingsOf(text, { ...RULE, persona: 'regular' }), []);
    const findings = findingsOf(text, { ...RULE, persona: 'pedantic' });
    assert.deepEqual(findings.map((f) => [rangeText(text, f.range), f.confidence]), [['contents', 'medium'], ['issues', 'medium']]);
    assert.match(findings[0].message, /only `contents: read`/);
    const reduced = applyFix(text, findings[0].fixes[0]);
    assert.ok(reduced.includes('      contents: read  # why not\n'));
    const removed = applyFix(text, findings[1].fixes[0]);
    assert.ok(!removed.includes('issues'));
    assert.equal(findingsOf(removed, { ...RULE, persona: 'pedantic' }).length, 1);
    // Unknown steps keep it quiet.
    assert.deepEqual(findingsOf(text.replace('actions/checkout@v4', 'someone/thing@v1'), { ...RULE, persona: 'pedantic' }), []);
  });

  test('an unknown step makes the least-privilege fix non-preferred with a verify comment', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: someone/thing@v1\n';
    const [finding] = findingsOf(text, RULE);
    const fix = finding.fixes.find((f) => f.title.startsWith('Add least-privilege'))!;
    assert.equal(fix.isPreferred, false);
    const after = applyFix(text, fix);
    assert.match(after, /contents: read  # actions\/checkout\n      # verify: `someone\/thing` is not in the permissions table/);
    assert.deepEqual(parseWorkflow(after).problems, []);
  });
});

/**
 * Regressions from the corpus fix-safety run: every excessive-permissions fix must leave YAML that parses
 * and add no finding of another rule (a fix that glued the next key onto a comment dropped `environment:`
 * and surfaced secrets-outside-env; moved scopes without a comment surfaced undocumented-permissions).
 */
describe('excessive-permissions fixes: valid YAML, nothing new', () => {
  const ruleCounts = (text: string) => {
    const counts = new Map<string, number>();
    for (const finding of findingsOf(text)) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
    return counts;
  };
  /** Applies every fix of every excessive-permissions finding; returns the results by fix title. */
  function checkAllFixes(text: string): Map<string, string> {
    const before = ruleCounts(text);
    const results = new Map<string, string>();
    for (const finding of findingsOf(text, RULE)) {
      for (const fix of finding.fixes) {
        const after = applyFix(text, fix);
        const where = `"${fix.title}" on ${finding.message.slice(0, 60)}`;
        assert.deepEqual(parseWorkflow(after).problems.map((p) => p.message), [], `${where} does not parse:\n${after}`);
        for (const [rule, count] of ruleCounts(after)) {
          if (rule !== RULE.ruleId) assert.ok(count <= (before.get(rule) ?? 0), `${where} adds a ${rule} finding:\n${after}`);
        }
        results.set(fix.title, after);
      }
    }
    return results;
  }

  test('replacing a job block does not swallow the next key (biome, electron, huggingface)', () => {
    const text = `on: push
permissions: {}
jobs:
  publish:
    name: Publish
    runs-on: ubuntu-latest
    permissions:  # publishing
      contents: write # Push merge branch
      pull-requests: write
    environment:
      name: pypi
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: echo \${{ secrets.SLACK_BOT_TOKEN }}
`;
    const results = checkAllFixes(text);
    const minimal = results.get('Add minimal permissions to this job')!;
    assert.match(minimal, /\n {4}permissions: {2}# publishing\n {6}contents: read {2}# actions\/checkout\n {4}environment:\n {6}name: pypi\n/);
    const crlf = checkAllFixes(toCRLF(text)).get('Add minimal permissions to this job')!;
    assert.equal(crlf, toCRLF(minimal));
  });

  test('emptying a block keeps the next key and the key line comment (deno npm_publish, astro merge)', () => {
    const text = 'on: push\npermissions: {}\njobs:\n  publish:\n    runs-on: x\n    permissions: # OIDC\n      id-token: write\n\n    timeout-minutes: 15\n    steps:\n      - run: echo hi\n';
    const results = checkAllFixes(text);
    const removed = results.get('Remove `id-token: write` (`permissions: {}`)')!;
    assert.equal(removed, 'on: push\npermissions: {}\njobs:\n  publish:\n    runs-on: x\n    permissions: {}  # OIDC\n\n    timeout-minutes: 15\n    steps:\n      - run: echo hi\n');
    assert.equal(checkAllFixes(toCRLF(text)).get('Remove `id-token: write` (`permissions: {}`)'), toCRLF(removed));
  });

  test('moving workflow-level writes keeps the next top-level key, with CRLF (deno ci, prometheus stale)', () => {
    const text = 'on: push\npermissions:\n  issues: write\n  pull-requests: write\nconcurrency:\n  group: x\n  cancel-in-progress: true\njobs:\n  stale:\n    runs-on: x\n    steps:\n      - uses: actions/stale@v9\n        with:\n          repo-token: ${{ secrets.GITHUB_TOKEN }}\n';
    for (const input of [text, toCRLF(text)]) {
      const move = checkAllFixes(input).get(MOVE)!;
      const eol = input.includes('\r\n') ? '\r\n' : '\n';
      assert.ok(move.includes(`permissions: {}${eol}concurrency:${eol}`), move);
      assert.ok(move.includes(`    permissions:${eol}      issues: write  # actions/stale${eol}      pull-requests: write  # actions/stale${eol}    steps:`), move);
    }
  });

  test('moved scopes carry a comment, also in jobs the inference cannot fully read (cli codeql, terraform)', () => {
    const text = `on: push
permissions:
  actions: read  # codeql reads workflow runs
  contents: read
  security-events: write
  statuses: write
jobs:
  scan:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
      - uses: github/codeql-action/analyze@v3
  other:
    runs-on: x
    steps:
      - uses: someone/unknown@v1
`;
    const move = checkAllFixes(text).get(MOVE);
    assert.ok(move, 'the move fix is offered');
    assert.match(move, /actions: read {2}# codeql reads workflow runs\n {6}contents: read {2}# actions\/checkout\n {6}security-events: write {2}# github\/codeql-action\/analyze\n/);
    assert.match(move, /statuses: write {2}# was granted at workflow level; verify\n/);
    assert.deepEqual(findingsOf(move, { ruleId: 'undocumented-permissions' }), []);
  });

  test('a job written as an alias of another gets no insertion of its own (it would land in the anchored job)', () => {
    const text = 'on: push\njobs:\n  a: &job\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n  b: *job\n';
    const results = checkAllFixes(text);
    assert.equal(results.get('Add least-privilege permissions'), 'on: push\npermissions: {}\njobs:\n  a: &job\n    runs-on: x\n    permissions:\n      contents: read  # actions/checkout\n    steps:\n      - uses: actions/checkout@v4\n  b: *job\n');
    assert.ok(![...results.keys()].some((title) => title.includes('job `b`')));
  });
});
