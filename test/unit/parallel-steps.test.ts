/**
 * GitHub's parallel and background steps (2026): steps nested under `- parallel: [...]` are steps of the job
 * for every rule, fix, hover, document link and the permission inference, and the keys `background`,
 * `wait`, `wait-all` and `cancel` are accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Analysis } from '../../server/src/document-cache';
import { analyze } from '../../server/src/engine';
import { documentLinks } from '../../server/src/features/document-links';
import { hover } from '../../server/src/features/hover';
import { stepKeyHover } from '../../server/src/features/hovers/step-keys';
import type { ParsedFile } from '../../server/src/parse/document';
import { inferWorkflowPermissions } from '../../server/src/permissions/infer';
import { GitHubResolver } from '../../server/src/resolve/resolver';
import { attachSnapshot, collectSnapshot } from '../../server/src/resolve/snapshot';
import type { Finding } from '../../server/src/findings';
import { analysisOptions, applyFix, findingsOf, parseAs, parseWorkflow, rangeText, yaml } from '../support/analysis';
import { sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';

const E = (path: string) => '${{ ' + path + ' }}';

/** A `pull_request_target` job whose interesting steps sit inside a `parallel:` group. */
const PARALLEL = yaml`
  name: ci
  on: pull_request_target
  permissions: {}
  jobs:
    build:
      name: build
      runs-on: ubuntu-latest
      steps:
        - run: echo first
        - parallel:
            - name: Title
              run: echo "${E('github.event.pull_request.title')}"
            - uses: actions/setup-node@v4
        - run: echo last
`;

describe('parallel steps are steps of the job', () => {
  test('the job lists them flattened in document order, each knowing its group', () => {
    const job = parseWorkflow(PARALLEL).workflow!.job('build')!;
    assert.deepEqual(
      job.steps.map((step) => [step.index, step.position, step.parallel?.position ?? null, step.label]),
      [
        [0, '1', null, 'echo first'],
        [1, '2', null, 'parallel group at step 2'],
        [2, '2.1', '2', 'Title'],
        [3, '2.2', '2', 'actions/setup-node@v4'],
        [4, '3', null, 'echo last'],
      ],
    );
    assert.deepEqual(job.steps[1].parallelSteps, [job.steps[2], job.steps[3]]);
    assert.deepEqual(
      parseWorkflow(PARALLEL).uses.map((site) => [site.value, site.step?.position]),
      [['actions/setup-node@v4', '2.2']],
    );
  });

  test('a composite action reads its groups the same way', () => {
    const text = yaml`
      runs:
        using: composite
        steps:
          - parallel:
              - run: echo "${E('inputs.name')}"
                shell: bash
              - uses: actions/cache@v4
    `;
    const file = parseAs(text, 'action.yml');
    assert.deepEqual(
      file.action!.steps.map((step) => step.position),
      ['1', '1.1', '1.2'],
    );
    const findings = analyze(file, analysisOptions()).map((f) => `${f.ruleId}:${rangeText(text, f.range)}`);
    assert.ok(findings.includes('template-injection:inputs.name'), findings.join('\n'));
    assert.ok(findings.includes('unpinned-uses:v4'), findings.join('\n'));
  });

  test('an injection and an unpinned action inside `parallel:` are reported, with exact ranges', () => {
    const findings = findingsOf(PARALLEL);
    const injection = findings.find((f) => f.ruleId === 'template-injection');
    assert.ok(injection, 'template-injection inside parallel');
    assert.equal(rangeText(PARALLEL, injection.range), 'github.event.pull_request.title');
    assert.equal(injection.severity, 'high');
    const unpinned = findings.find((f) => f.ruleId === 'unpinned-uses');
    assert.ok(unpinned, 'unpinned-uses inside parallel');
    assert.equal(rangeText(PARALLEL, unpinned.range), 'v4');
  });

  test('a secret-bearing checkout of the pull request inside a group is seen by the attack-path rules', () => {
    const text = yaml`
      on: pull_request_target
      permissions: {}
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - parallel:
                - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
                  with:
                    ref: ${E('github.event.pull_request.head.sha')}
                - run: echo warming up
            - run: make test
    `;
    assert.ok(
      findingsOf(text).some((f) => f.ruleId === 'untrusted-checkout'),
      findingsOf(text)
        .map((f) => f.ruleId)
        .join(', '),
    );
  });

  test('background, wait, wait-all and cancel are accepted without findings on a hardened workflow', () => {
    const text = yaml`
      name: ci
      on: push
      permissions: {}
      concurrency:
        group: ci-${E('github.ref')}
        cancel-in-progress: true
      jobs:
        build:
          name: build
          runs-on: ubuntu-latest
          steps:
            - id: server
              run: ./serve
              background: true
            - id: warm
              run: ./warm-cache
              background: true
            - run: ./test
            - wait: [server]
            - name: stop warming
              cancel: warm
            - wait-all:
            - wait-all: true
            - parallel:
                - run: ./lint
                - run: ./docs
    `;
    assert.deepEqual(
      findingsOf(text, { persona: 'auditor' }).map((f) => `${f.ruleId}: ${f.message}`),
      [],
    );
  });
});

describe('fixes inside a parallel group keep its indentation', () => {
  test('template-injection: the `env:` block goes under the nested step, at its indentation', () => {
    const finding = findingsOf(PARALLEL).find((f) => f.ruleId === 'template-injection')!;
    const fixed = applyFix(PARALLEL, finding.fixes[0]);
    assert.equal(
      fixed,
      PARALLEL.replace(
        `          - name: Title\n            run: echo "${E('github.event.pull_request.title')}"\n`,
        `          - name: Title\n            run: echo "\${PULL_REQUEST_TITLE}"\n            env:\n              PULL_REQUEST_TITLE: ${E('github.event.pull_request.title')}\n`,
      ),
    );
    assert.deepEqual(parseWorkflow(fixed).problems, []);
    const step = parseWorkflow(fixed).workflow!.job('build')!.steps[2];
    assert.equal(step.env.string('PULL_REQUEST_TITLE')?.value, E('github.event.pull_request.title'));
    assert.ok(!findingsOf(fixed).some((f) => f.ruleId === 'template-injection'), 'finding gone after the fix');
  });

  test('excessive-permissions: the inferred block names the nested step, and the fix leaves the group as it was', () => {
    const text = yaml`
      on: pull_request
      jobs:
        comment:
          runs-on: ubuntu-latest
          steps:
            - parallel:
                - run: gh pr comment "$PR" --body thanks
                  env:
                    GH_TOKEN: ${E('github.token')}
                    PR: ${E('github.event.pull_request.number')}
                - run: echo other
    `;
    const [inferred] = inferWorkflowPermissions(parseWorkflow(text).workflow!);
    assert.deepEqual(
      inferred.scopes.map((scope) => [scope.scope, scope.level, scope.uses.map((use) => use.step.position)]),
      [['pull-requests', 'write', ['1.1']]],
    );
    const finding = findingsOf(text, { ruleId: 'excessive-permissions' })[0];
    const fix = finding.fixes.find((f) => f.title === 'Add least-privilege permissions');
    assert.ok(fix && fix.isPreferred);
    const fixed = applyFix(text, fix);
    assert.deepEqual(parseWorkflow(fixed).problems, []);
    assert.ok(
      fixed.includes(
        '    permissions:\n      pull-requests: write  # gh pr comment\n    steps:\n      - parallel:\n          - run: gh pr comment',
      ),
      fixed,
    );
    assert.deepEqual(findingsOf(fixed, { ruleId: 'excessive-permissions' }), []);
    // The group's lines are untouched.
    assert.ok(fixed.endsWith(text.slice(text.indexOf('    steps:\n'))));
  });
});

describe('pin fix inside a parallel group', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await standardFakeGitHub().start();
  });
  after(async () => {
    await gh.stop();
  });

  async function online(file: ParsedFile): Promise<Finding[]> {
    const resolver = new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, timeoutMs: 1500 });
    attachSnapshot(file, await collectSnapshot([file], resolver, { serverUrl: gh.serverUrl }));
    return analyze(file, analysisOptions());
  }

  test('pins the nested `uses:` in place; re-parsed and re-analysed, the finding is gone', async () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - parallel:\n          - run: echo a\n          - uses: actions/checkout@v4\n            with:\n              persist-credentials: false\n';
    const finding = (await online(parseWorkflow(text))).find((f) => f.ruleId === 'unpinned-uses');
    assert.ok(finding && finding.fixes.length > 0, 'a pin fix for the nested step');
    const fixed = applyFix(text, finding.fixes[0]);
    assert.equal(fixed, text.replace('actions/checkout@v4', `actions/checkout@${sha('co-4')} # v4.2.2`));
    const reparsed = parseWorkflow(fixed);
    assert.deepEqual(reparsed.problems, []);
    assert.ok(!(await online(reparsed)).some((f) => f.ruleId === 'unpinned-uses'));
  });
});

describe('document links and hovers see nested steps', () => {
  test('a `uses:` inside `parallel:` is a link', () => {
    const file = parseWorkflow(PARALLEL);
    const links = documentLinks(file, { serverUrl: 'https://github.com', isFile: () => false });
    assert.deepEqual(
      links.map((link) => [rangeText(PARALLEL, link.range), link.target]),
      [['actions/setup-node@v4', 'https://github.com/actions/setup-node/tree/v4']],
    );
  });

  const analysisOf = (text: string): Analysis => {
    const file = parseWorkflow(text);
    return { uri: file.uri, version: 0, file, findings: analyze(file, analysisOptions()) };
  };
  /** The hover of the parallel/background step keys alone (the other providers add finding hovers). */
  const hoverText = (text: string, needle: string, delta = 1): string =>
    stepKeyHover(analysisOf(text), text.indexOf(needle) + delta)
      .map((section) => section.markdown)
      .join('\n---\n');
  /** The whole hover, as the editor shows it. */
  const fullHover = (text: string, needle: string, delta = 1): string => {
    const result = hover(analysisOf(text), text.indexOf(needle) + delta);
    return result ? (result.contents as { value: string }).value : '';
  };

  const BACKGROUND = yaml`
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - id: server
            name: Start the server
            run: ./serve
            background: true
          - run: ./test
          - wait: server
          - wait-all:
          - cancel: server
          - parallel:
              - run: ./lint
  `;

  test('each of the new step keys has a hover', () => {
    assert.match(fullHover(BACKGROUND, 'background:'), /\*\*`background: true`\*\* — the step starts and the job goes on/);
    assert.match(hoverText(BACKGROUND, 'wait: server'), /\*\*`wait:`\*\* — blocks until the named background steps/);
    assert.match(hoverText(BACKGROUND, 'wait-all:'), /\*\*`wait-all:`\*\* — blocks until every background step/);
    assert.match(hoverText(BACKGROUND, 'cancel:'), /\*\*`cancel:`\*\* — stops the background step/);
    assert.match(hoverText(BACKGROUND, 'parallel:'), /\*\*`parallel:`\*\* — runs the steps listed under it at the same time/);
    assert.equal(hoverText(BACKGROUND, 'run: ./test'), '', 'no hover on other step keys');
  });

  test('hovering the id of `wait:` / `cancel:` names the step it refers to', () => {
    assert.equal(hoverText(BACKGROUND, 'wait: server', 8), '`server` is step 1 (`Start the server`), a background step.');
    assert.equal(hoverText(BACKGROUND, 'cancel: server', 9), '`server` is step 1 (`Start the server`), a background step.');
    const typo = BACKGROUND.replace('wait: server', 'wait: sever');
    assert.match(hoverText(typo, 'sever', 2), /No earlier step of this `steps:` list has `id: sever`/);
  });

  test("a context hover inside a nested step reads that step's `env:`", () => {
    const text = yaml`
      on: pull_request_target
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - parallel:
                - run: echo "${E('env.TITLE')}"
                  env:
                    TITLE: ${E('github.event.pull_request.title')}
    `;
    assert.match(
      fullHover(text, 'env.TITLE', 2),
      /⚠ Someone else chooses this text: `env.title`, set from `github.event.pull_request.title`/,
    );
    assert.ok(findingsOf(text).some((f) => f.ruleId === 'template-injection' && rangeText(text, f.range) === 'env.TITLE'));
  });
});
