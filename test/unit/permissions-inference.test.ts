import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findingsOf, parseWorkflow } from '../support/analysis';
import { declaredScopes, inferWorkflowPermissions } from '../../server/src/permissions/infer';
import { analyzeRun, ghApiNeed } from '../../server/src/permissions/run-heuristics';
import { analyzeGithubScript } from '../../server/src/permissions/github-script';
import { allActionPermissions } from '../../server/src/knowledge/action-permissions';
import { PERMISSION_SCOPES } from '../../server/src/knowledge/permissions';

function infer(text: string) {
  const file = parseWorkflow(text);
  return Object.fromEntries(
    inferWorkflowPermissions(file.workflow!).map((job) => [
      job.jobId,
      { scopes: Object.fromEntries(job.scopes.map((s) => [s.scope, s.level])), unknowns: job.unknowns.map((u) => u.reason) },
    ]),
  );
}

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
    assert.deepEqual(ghApiNeed(['repos/o/r/issues/1/comments', '-f', 'body=x']), {
      scope: 'comment',
      level: 'write',
      path: 'repos/o/r/issues/1/comments',
    });
    assert.deepEqual(ghApiNeed(['--method', 'DELETE', 'repos/o/r/actions/caches/1']), {
      scope: 'actions',
      level: 'write',
      path: 'repos/o/r/actions/caches/1',
    });
    assert.equal(ghApiNeed(['rate_limit']), null);
    const run = analyzeRun('# gh pr merge\nmkdocs gh-deploy --force && gh release upload v1 x.tar.gz', {
      jobTokenEnv: new Set(),
      env: new Set(),
    });
    assert.deepEqual(
      run.needs.map((n) => `${n.scope}:${n.level}:${n.what}`),
      ['contents:write:mkdocs gh-deploy', 'contents:write:gh release upload'],
    );
    assert.match(analyzeGithubScript('await github.request("GET /x")').unknowns[0], /request/);
  });

  test('every table entry names a source and uses known scopes', () => {
    const known = new Set([...Object.keys(PERMISSION_SCOPES), 'comment']);
    const entries = allActionPermissions();
    assert.ok(entries.length >= 150, `${entries.length} entries`);
    for (const entry of entries) {
      assert.ok(entry.source.length > 5, entry.action);
      assert.equal(entry.action, entry.action.toLowerCase());
      for (const need of entry.scopes) assert.ok(known.has(need.scope), `${entry.action}: ${need.scope}`);
    }
  });

  test('malformed input never throws', () => {
    for (const text of [
      'jobs: 3',
      'jobs:\n  a: [1]\n',
      'jobs:\n  a:\n    steps: {x: 1}\n',
      'jobs:\n  a:\n    steps:\n      - uses: [x]\n      - run: {a: 1}\n      - with: 3\n',
      'on: push\njobs:\n  a:\n    env: 3\n    steps:\n      - run: gh api\n        env: [1]\n',
    ]) {
      assert.doesNotThrow(() => infer(text));
      assert.doesNotThrow(() => findingsOf(text));
    }
  });
});

describe('read-all and write-all follow the levels each scope accepts', () => {
  const grant = (shorthand: string) => {
    const file = parseWorkflow(`on: push\npermissions: ${shorthand}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n`);
    const entry = file.workflow!.permissions!;
    return declaredScopes(entry);
  };

  test('write-all: write where the scope has it, read for read-only scopes', () => {
    const scopes = grant('write-all');
    assert.equal(scopes.get('contents'), 'write');
    assert.equal(scopes.get('copilot-requests'), 'write');
    assert.equal(scopes.get('models'), 'read');
    assert.equal(scopes.get('vulnerability-alerts'), 'read');
    assert.equal(scopes.size, Object.keys(PERMISSION_SCOPES).length);
  });

  test('read-all: read everywhere except write-only scopes', () => {
    const scopes = grant('read-all');
    assert.equal(scopes.get('contents'), 'read');
    assert.equal(scopes.get('vulnerability-alerts'), 'read');
    assert.equal(scopes.has('id-token'), false);
    assert.equal(scopes.has('copilot-requests'), false);
  });
});
