import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analyze } from '../../server/src/engine';
import { planPin, planUpdate } from '../../server/src/fixes/pin';
import type { ParsedFile } from '../../server/src/parse/document';
import { GitHubResolver } from '../../server/src/resolve/resolver';
import { attachSnapshot, collectSnapshot, emptySnapshot } from '../../server/src/resolve/snapshot';
import type { Finding } from '../../server/src/findings';
import { analysisOptions, applyFix, parseAs, parseWorkflow, rangeText, toCRLF } from '../support/analysis';
import { sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';

let gh: FakeGitHub;
before(async () => {
  gh = await standardFakeGitHub().start();
});
after(async () => {
  await gh.stop();
});

const resolver = () => new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, timeoutMs: 1500 });

async function online(file: ParsedFile, r = resolver()): Promise<Finding[]> {
  attachSnapshot(file, await collectSnapshot([file], r, { serverUrl: gh.serverUrl }));
  return analyze(file, analysisOptions());
}

const workflow = (uses: string, extra = '') =>
  `on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}${extra}\n`;
const CO4 = sha('co-4');

async function pinned(text: string, path?: string): Promise<{ before: Finding[]; after: string; afterFindings: Finding[] }> {
  const file = path ? parseAs(text, path) : parseWorkflow(text);
  const before = await online(file);
  const finding = before.find((f) => f.ruleId === 'unpinned-uses');
  assert.ok(finding, 'unpinned-uses reported');
  assert.ok(finding.fixes.length > 0, 'a pin fix is offered');
  const afterText = applyFix(text, finding.fixes[0]);
  const reparsed = path ? parseAs(afterText, path) : parseWorkflow(afterText);
  return { before, after: afterText, afterFindings: await online(reparsed) };
}

const ONLINE = ['ref-version-mismatch', 'impostor-commit', 'stale-action-refs', 'ref-confusion'];
const ids = (findings: Finding[]) => findings.map((f) => f.ruleId).sort();

describe('pin fixes', () => {
  test('actions/checkout@v4 → peeled commit of the annotated tag + most specific tag comment; finding gone, nothing else changed', async () => {
    const text = workflow('actions/checkout@v4');
    const { before, after, afterFindings } = await pinned(text);
    const fix = before.find((f) => f.ruleId === 'unpinned-uses')!.fixes[0];
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.safety, 'safe');
    assert.equal(after, workflow(`actions/checkout@${CO4} # v4.2.2`));
    assert.ok(!after.includes(gh.tagObject('actions/checkout', 'v4.2.2')), 'never the tag object');
    assert.deepEqual(ids(afterFindings), ids(before.filter((f) => f.ruleId !== 'unpinned-uses')));
  });

  test('tag of a tag peels to the commit', async () => {
    const { after } = await pinned(workflow('actions/setup-node@v4'));
    assert.equal(after, workflow(`actions/setup-node@${sha('sn-2')} # v4.0.1`));
  });

  test('quotes, an existing version comment, other comment text and CRLF are kept', async () => {
    assert.equal((await pinned(workflow("'actions/checkout@v4'"))).after, workflow(`'actions/checkout@${CO4}' # v4.2.2`));
    assert.equal(
      (await pinned(workflow('"actions/checkout@v4"', '   # v4.0.0 keep me'))).after,
      workflow(`"actions/checkout@${CO4}"`, '   # v4.2.2 keep me'),
    );
    assert.equal(
      (await pinned(workflow('actions/checkout@v4', ' # ratchet:exclude'))).after,
      workflow(`actions/checkout@${CO4}`, ' # v4.2.2 # ratchet:exclude'),
    );
    const crlf = toCRLF(workflow('actions/checkout@v4'));
    assert.equal((await pinned(crlf)).after, toCRLF(workflow(`actions/checkout@${CO4} # v4.2.2`)));
  });

  test('a full version tag keeps its own name when it is the most specific', async () => {
    assert.equal((await pinned(workflow('actions/checkout@v4.2.1'))).after, workflow(`actions/checkout@${sha('co-3')} # v4.2.1`));
  });

  test('subpath actions and reusable workflows resolve on owner/repo and keep the path', async () => {
    assert.equal((await pinned(workflow('actions/checkout/sub/dir@v4'))).after, workflow(`actions/checkout/sub/dir@${CO4} # v4.2.2`));
    const reusable = 'on: push\npermissions: {}\njobs:\n  call:\n    uses: octo/reusable/.github/workflows/build.yml@v2\n';
    const { after } = await pinned(reusable);
    assert.equal(
      after,
      `on: push\npermissions: {}\njobs:\n  call:\n    uses: octo/reusable/.github/workflows/build.yml@${sha('rw-2')} # v2.0.0\n`,
    );
  });

  test('composite action.yml steps', async () => {
    const text = 'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@v4\n';
    const { after, afterFindings } = await pinned(text, 'action.yml');
    assert.equal(after, `name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@${CO4} # v4.2.2\n`);
    assert.deepEqual(
      afterFindings.filter((f) => f.ruleId === 'unpinned-uses'),
      [],
    );
  });

  test('a branch gets a non-preferred "current commit of main" fix with # main', async () => {
    const file = parseWorkflow(workflow('actions/checkout@main'));
    const finding = (await online(file)).find((f) => f.ruleId === 'unpinned-uses')!;
    const [fix] = finding.fixes;
    assert.equal(fix.isPreferred, false);
    assert.match(fix.title, /current commit of main/);
    assert.equal(applyFix(file.text, fix), workflow(`actions/checkout@${sha('co-5')} # main`));
  });

  test('abbreviated SHAs are expanded', async () => {
    const file = parseWorkflow(workflow(`actions/checkout@${sha('co-3').slice(0, 8)}`));
    const finding = (await online(file)).find((f) => f.ruleId === 'unpinned-uses')!;
    assert.equal(applyFix(file.text, finding.fixes[0]), workflow(`actions/checkout@${sha('co-3')} # v4.2.1`));
  });

  test('no data, no pin: offline, failures, unknown refs and tag/branch ambiguity yield no fix and say why', async () => {
    const file = parseWorkflow(workflow('actions/checkout@v4'));
    const site = file.uses[0];
    assert.deepEqual(planPin(file, site, undefined).ok, false);
    const offline = planPin(file, site, emptySnapshot(true));
    assert.ok(!offline.ok && /offline/.test(offline.reason));
    for (const behaviour of ['error-500', 'slow', 'malformed', 'rate-limit-429'] as const) {
      gh.setBehaviour('actions/checkout', behaviour);
      const failing = parseWorkflow(workflow('actions/checkout@v4'));
      const findings = await online(failing);
      assert.deepEqual(findings.find((f) => f.ruleId === 'unpinned-uses')!.fixes, [], behaviour);
      const plan = planPin(failing, failing.uses[0], await collectSnapshot([failing], resolver()));
      assert.ok(!plan.ok && /could not resolve actions\/checkout/.test(plan.reason), behaviour);
    }
    gh.setBehaviour('actions/checkout', 'ok');
    const unknown = parseWorkflow(workflow('actions/checkout@v9'));
    assert.deepEqual((await online(unknown)).find((f) => f.ruleId === 'unpinned-uses')!.fixes, []);
    const ambiguous = parseWorkflow(workflow('octo/tools@v1'));
    const findings = await online(ambiguous);
    assert.deepEqual(findings.find((f) => f.ruleId === 'unpinned-uses')!.fixes, []);
    const confusion = findings.find((f) => f.ruleId === 'ref-confusion');
    assert.ok(confusion);
    assert.equal(rangeText(ambiguous.text, confusion.range), 'v1');
  });

  test('each repository is resolved once however many uses name it', async () => {
    gh.reset();
    const text = `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/checkout@v5\n      - uses: actions/checkout/sub@main\n      - uses: actions/setup-node@v4\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n`;
    await online(parseWorkflow(text));
    assert.equal(gh.count('/actions/checkout.git/'), 1);
    assert.equal(gh.count('/actions/setup-node.git/'), 1);
    assert.equal(gh.count(), 2);
  });

  test('update to the latest release on an already pinned uses', async () => {
    const text = workflow(`actions/checkout@${CO4} # v4.2.2`);
    const file = parseWorkflow(text);
    attachSnapshot(file, await collectSnapshot([file], resolver()));
    const update = planUpdate(file, file.uses[0], await collectSnapshot([file], resolver()));
    assert.ok(update);
    assert.equal(update.to, 'v5.0.0');
    assert.equal(applyFix(text, update.fix), workflow(`actions/checkout@${sha('co-5')} # v5.0.0`));
    const latest = parseWorkflow(workflow(`actions/checkout@${sha('co-5')} # v5.0.0`));
    assert.equal(planUpdate(latest, latest.uses[0], await collectSnapshot([latest], resolver())), null);
  });
});

describe('online rules', () => {
  test('offline analysis: the online rules report nothing', () => {
    const file = parseWorkflow(workflow(`actions/checkout@${sha('co-evil')} # v4.0.0`));
    const mine = (findings: Finding[]) => findings.filter((f) => ONLINE.includes(f.ruleId));
    assert.deepEqual(mine(analyze(file, analysisOptions())), []);
    attachSnapshot(file, emptySnapshot(true));
    assert.deepEqual(mine(analyze(file, analysisOptions())), []);
  });

  test('inline ignores apply to online rules', async () => {
    const findings = await online(
      parseWorkflow(workflow(`actions/checkout@${sha('co-evil')}`, ' # warden: ignore[impostor-commit,stale-action-refs]')),
    );
    assert.deepEqual(
      findings.filter((f) => f.ruleId === 'impostor-commit' || f.ruleId === 'stale-action-refs'),
      [],
    );
  });
});
