import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseWorkflow } from '../support/analysis';
import { inferWorkflowPermissions } from '../../server/src/permissions/infer';
import { allActionPermissions } from '../../server/src/knowledge/action-permissions';

/** One job with the given steps (YAML, indented 6). */
function infer(steps: string): { scopes: Record<string, string>; tolerated: string[]; unknowns: string[] } {
  const text = `on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  const [job] = inferWorkflowPermissions(parseWorkflow(text).workflow!);
  return {
    scopes: Object.fromEntries(job!.scopes.map((s) => [s.scope, s.level])),
    tolerated: [...job!.tolerated].sort(),
    unknowns: job!.unknowns.map((u) => u.reason),
  };
}

describe('action permissions table: corrected entries', () => {
  test('every entry says whether it was verified, and verified entries name what was read', () => {
    for (const entry of allActionPermissions()) {
      assert.equal(typeof entry.verified, 'boolean', entry.action);
      if (entry.verified) assert.match(entry.source, /^[\w.-]+\/[\w.-]+:[^ ]+@[0-9a-f]{7}/, entry.action);
    }
  });

  test('the table has no duplicate entries', () => {
    const names = allActionPermissions().map((e) => e.action);
    assert.equal(new Set(names).size, names.length);
  });

  test('dessant/lock-threads: the default process-only also locks discussions', () => {
    assert.deepEqual(infer('      - uses: dessant/lock-threads@v5\n').scopes, {
      discussions: 'write',
      issues: 'write',
      'pull-requests': 'write',
    });
    assert.deepEqual(infer('      - uses: dessant/lock-threads@v5\n        with:\n          process-only: issues, prs\n').scopes, {
      issues: 'write',
      'pull-requests': 'write',
    });
    assert.deepEqual(infer('      - uses: dessant/lock-threads@v5\n        with:\n          process-only: ${{ inputs.what }}\n').scopes, {
      discussions: 'write',
      issues: 'write',
      'pull-requests': 'write',
    });
  });

  test('actions/download-artifact: a job-token github-token needs actions: read, whatever run-id is', () => {
    assert.deepEqual(
      infer('      - uses: actions/download-artifact@v4\n        with:\n          github-token: ${{ github.token }}\n').scopes,
      { actions: 'read' },
    );
    assert.deepEqual(infer('      - uses: actions/download-artifact@v4\n').scopes, {});
  });

  test('zizmor-action uploads SARIF with the job token even when `token` is a PAT', () => {
    assert.deepEqual(infer('      - uses: zizmorcore/zizmor-action@v0.2\n        with:\n          token: ${{ secrets.PAT }}\n').scopes, {
      'security-events': 'write',
    });
    assert.deepEqual(infer('      - uses: zizmorcore/zizmor-action@v0.2\n        with:\n          advanced-security: false\n').scopes, {});
  });

  test('EndBug/add-and-commit pushes with the checkout credentials unless push is false', () => {
    assert.deepEqual(infer('      - uses: EndBug/add-and-commit@v9\n        with:\n          github_token: ${{ secrets.PAT }}\n').scopes, {
      contents: 'write',
    });
    assert.deepEqual(infer('      - uses: EndBug/add-and-commit@v9\n        with:\n          push: false\n').scopes, {});
  });

  test('uraimo/run-on-arch-action: githubToken has no default; the image cache push is tolerated, not required', () => {
    assert.deepEqual(infer('      - uses: uraimo/run-on-arch-action@v3\n').tolerated, []);
    const given = infer('      - uses: uraimo/run-on-arch-action@v3\n        with:\n          githubToken: ${{ github.token }}\n');
    assert.deepEqual(given.scopes, {});
    assert.deepEqual(given.tolerated, ['packages']);
  });

  test('conditions on inputs: JamesIves ssh-key, junit annotate_only, EnricoMi comment_mode, semantic-pr wip', () => {
    assert.deepEqual(
      infer(
        '      - uses: JamesIves/github-pages-deploy-action@v4\n        with:\n          folder: site\n          ssh-key: ${{ secrets.DEPLOY_KEY }}\n',
      ).scopes,
      {},
    );
    assert.deepEqual(infer('      - uses: mikepenz/action-junit-report@v5\n        with:\n          annotate_only: true\n').scopes, {});
    assert.deepEqual(
      infer('      - uses: EnricoMi/publish-unit-test-result-action@v2\n        with:\n          comment_mode: off\n').scopes,
      { checks: 'write' },
    );
    assert.deepEqual(
      infer(
        '      - uses: amannn/action-semantic-pull-request@v5\n        env:\n          GITHUB_TOKEN: ${{ github.token }}\n        with:\n          wip: true\n',
      ).scopes,
      { 'pull-requests': 'read', statuses: 'write' },
    );
  });

  test('anthropics/claude-code-action: OIDC for its app token unless github_token is given', () => {
    const r = infer('      - uses: anthropics/claude-code-action@v1\n');
    assert.deepEqual(r.scopes, { 'id-token': 'write' });
    assert.deepEqual(r.unknowns, []);
    const given = infer('      - uses: anthropics/claude-code-action@v1\n        with:\n          github_token: ${{ github.token }}\n');
    assert.deepEqual(given.scopes, {});
    assert.equal(given.unknowns.length, 1);
  });
});
