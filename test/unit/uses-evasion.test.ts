import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { normalizedUses, parseUses, remoteActionName, type RemoteUses } from '../../server/src/parse/uses';
import { inferWorkflowPermissions } from '../../server/src/permissions/infer';
import { run } from '../support/attack-path-rules';
import { parseWorkflow } from '../support/analysis';

const SHA = 'e8d1a2f0c4b3a5968778695a4b3c2d1e0f9a8b7c';

/** Spellings of `owner/repo[/path]` that the runner fetches as the same action. */
function evasive(target: string): string[] {
  const [owner, repo, ...rest] = target.split('/');
  const path = rest.length > 0 ? `/${rest.join('/')}` : '';
  return [
    `${target}/.`,
    `${target}/`,
    `${owner}//${repo}${path}`,
    `${owner}/${repo}/../${repo}${path}`,
    `${owner}/${repo}/./${rest.length > 0 ? `${rest.join('/')}/.` : '.'}`,
    `${owner.toUpperCase()}/${repo}${path}/.//.`,
  ];
}

interface Case {
  rule: string;
  action: string;
  ref?: string;
  workflow: (uses: string) => string;
}

const job = (on: string, steps: string, extra = '') =>
  `on: ${on}\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${steps}`;

const CASES: Case[] = [
  {
    rule: 'untrusted-checkout',
    action: 'actions/checkout',
    workflow: (uses) =>
      job(
        'pull_request_target',
        `      - uses: ${uses}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm install\n`,
      ),
  },
  { rule: 'artipacked', action: 'actions/checkout', workflow: (uses) => job('push', `      - uses: ${uses}\n      - run: make\n`) },
  {
    rule: 'self-repository',
    action: 'actions/checkout',
    workflow: (uses) => job('push', `      - uses: ${uses}\n        with:\n          ref: main\n      - uses: ./.github/actions/build\n`),
  },
  {
    rule: 'cache-poisoning',
    action: 'actions/cache',
    workflow: (uses) =>
      job(
        'release',
        `      - uses: ${uses}\n        with:\n          path: ~/.npm\n          key: npm\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: \${{ secrets.NPM }}\n`,
      ),
  },
  {
    rule: 'github-app',
    action: 'actions/create-github-app-token',
    workflow: (uses) =>
      job('push', `      - uses: ${uses}\n        with:\n          app-id: 1\n          private-key: \${{ secrets.KEY }}\n`),
  },
  {
    rule: 'template-injection',
    action: 'actions/github-script',
    workflow: (uses) =>
      job('issues', `      - uses: ${uses}\n        with:\n          script: console.log("\${{ github.event.issue.title }}")\n`),
  },
  {
    rule: 'superfluous-actions',
    action: 'actions/create-release',
    workflow: (uses) => job('push', `      - uses: ${uses}\n`),
  },
  {
    rule: 'archived-uses',
    action: 'actions/setup-ruby',
    workflow: (uses) => job('push', `      - uses: ${uses}\n`),
  },
  {
    rule: 'known-vulnerable-actions',
    action: 'actions/download-artifact',
    ref: 'v4.0.0',
    workflow: (uses) => job('push', `      - uses: ${uses}\n        with:\n          path: out\n`),
  },
  {
    rule: 'artifact-poisoning',
    action: 'actions/download-artifact',
    workflow: (uses) =>
      job(
        'workflow_run',
        `      - uses: ${uses}\n        with:\n          run-id: \${{ github.event.workflow_run.id }}\n          github-token: \${{ github.token }}\n      - run: bash ./out/run.sh\n`,
      ),
  },
  {
    rule: 'use-trusted-publishing',
    action: 'pypa/gh-action-pypi-publish',
    workflow: (uses) => job('push', `      - uses: ${uses}\n        with:\n          password: \${{ secrets.PYPI }}\n`),
  },
];

describe('every action-specific rule sees through `.`, `..` and empty path segments', () => {
  for (const item of CASES) {
    test(`${item.rule} on ${item.action}`, () => {
      const plain = run(item.rule, item.workflow(`${item.action}@${item.ref ?? SHA}`));
      assert.ok(plain.length > 0, `${item.rule}: the plain spelling must be reported`);
      for (const spelling of evasive(item.action)) {
        const found = run(item.rule, item.workflow(`${spelling}@${item.ref ?? SHA}`));
        assert.deepEqual(
          found.map((finding) => finding.message.replaceAll(spelling, item.action).toLowerCase()),
          plain.map((finding) => finding.message.toLowerCase()),
          `${item.rule}: ${spelling}`,
        );
      }
    });
  }

  test('a step that names another action under the same spellings is not taken for it', () => {
    for (const spelling of ['actions/checkout-x/.', 'actions/checkout/sub', 'other/checkout/../checkout']) {
      assert.equal(run('artipacked', job('push', `      - uses: ${spelling}@${SHA}\n      - run: make\n`)).length, 0, spelling);
    }
  });

  test('permission inference sees a checkout written with a trailing `/.`', () => {
    const text = job('push', `      - uses: actions/checkout/.@${SHA}\n      - run: git push\n`);
    const plain = job('push', `      - uses: actions/checkout@${SHA}\n      - run: git push\n`);
    const infer = (source: string) =>
      inferWorkflowPermissions(parseWorkflow(source).workflow!).flatMap((job) => [
        ...job.scopes.map((scope) => `${scope.scope}: ${scope.level} (${scope.uses.map((use) => use.what).join(', ')})`),
        ...job.unknowns.map((unknown) => `unknown: ${unknown.reason}`),
      ]);
    assert.deepEqual(infer(plain), ['contents: write (actions/checkout, git push)']);
    assert.deepEqual(infer(text), infer(plain));
  });
});

describe('parseUses normalises the path', () => {
  const remote = (value: string) => {
    const parsed = parseUses(value);
    assert.equal(parsed.kind, 'remote', value);
    return parsed as RemoteUses;
  };

  test('`.`, empty and folded `..` segments give the plain action, and say how it was written', () => {
    const uses = remote(`actions/cache/../cache/./save@${SHA}`);
    assert.equal(uses.repository, 'actions/cache');
    assert.equal(uses.subpath, 'save');
    assert.deepEqual(uses.obscured, { kind: 'normalized', written: 'actions/cache/../cache/./save' });
    assert.equal(normalizedUses(uses), `actions/cache/save@${SHA}`);
    assert.equal(`actions/cache/../cache/./save@${SHA}`.slice(uses.refStart, uses.refEnd), SHA);
    assert.equal(remote('actions//checkout').repository, 'actions/checkout');
    assert.equal(remoteActionName(' actions/checkout/@v4 '), 'actions/checkout');
  });

  test('a plain path is not marked', () => {
    const uses = remote('actions/checkout@v4');
    assert.equal(uses.obscured, null);
    assert.equal(normalizedUses(uses), null);
  });

  test('a `..` that leaves the fetched repository keeps the fetched repository', () => {
    const uses = remote(`evil/x/../../actions/checkout@${SHA}`);
    assert.equal(uses.repository, 'evil/x');
    assert.equal(uses.obscured?.kind, 'escapes');
    assert.equal(normalizedUses(uses), null);
    assert.equal(remoteActionName(`evil/x/../../actions/checkout@${SHA}`), 'evil/x/../../actions/checkout');
    assert.equal(remote('actions/checkout/..@v4').obscured?.kind, 'escapes');
  });

  test('paths with no owner and repository stay invalid', () => {
    for (const value of ['../x@v1', 'a/..@v1', '/./a@v1', '//@v1']) assert.equal(parseUses(value).kind, 'invalid', value);
  });
});
