import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../shared/src/settings';
import { codeLenses, tokenSummary } from '../../server/src/features/code-lenses';
import { completionItems, resolveUsesItem, usesCandidates, workspaceCandidates } from '../../server/src/features/completion';
import { completionSpot } from '../../server/src/features/completion-context';
import { inlayHints } from '../../server/src/features/inlay-hints';
import { knownInputs } from '../../server/src/knowledge/action-inputs';
import { ACTION_CATALOGUE, POPULAR_ACTIONS } from '../../server/src/knowledge/popular-actions';
import { bundledLatestRelease, bundledVersionsAt } from '../../server/src/knowledge/release-versions';
import { ParsedFile } from '../../server/src/parse/document';
import { analyzeText } from '../support/analysis';

const URI = 'file:///repo/.github/workflows/ci.yml';
const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

/** The text without `|` and the offset where it was. */
function at(source: string): { text: string; offset: number } {
  const offset = source.indexOf('|');
  return { text: source.slice(0, offset) + source.slice(offset + 1), offset };
}

function spotOf(source: string) {
  const { text, offset } = at(source);
  return completionSpot(new ParsedFile(URI, 'workflow', text).lines, offset);
}

const STEPS = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n';

describe('where completion applies', () => {
  test('a uses: value of a step, plain or quoted, with the typed token as range', () => {
    const plain = spotOf(`${STEPS}      - uses: actions/che|ckout@v4\n`);
    assert.equal(plain?.kind, 'uses');
    assert.equal(plain!.prefix, 'actions/che');
    const { text } = at(`${STEPS}      - uses: actions/che|ckout@v4\n`);
    assert.equal(text.slice(plain!.start, plain!.end), 'actions/checkout@v4');
    const quoted = spotOf(`${STEPS}      - uses: "actions/x|"  # note\n`);
    assert.ok(quoted?.kind === 'uses' && quoted.quote === '"' && quoted.closed && quoted.commented);
  });

  test('not in a run script, a comment or an env value', () => {
    assert.equal(spotOf(`${STEPS}      - run: echo uses: x|\n`), null);
    assert.equal(spotOf(`${STEPS}      # uses: actions/x|\n`), null);
    assert.equal(spotOf(`${STEPS}      - run: make\n        env:\n          TO|\n`), null);
  });

  test('scope keys and levels under permissions:, input keys under with:', () => {
    const key = spotOf('on: push\npermissions:\n  contents: read\n  |\njobs: {}\n');
    assert.ok(key?.kind === 'permission-key');
    assert.deepEqual([...key.present], ['contents']);
    assert.equal(spotOf('on: push\npermissions:\n  issues: w|\n')?.kind, 'permission-level');
    const input = spotOf(
      `${STEPS}      - name: co\n        uses: 'actions/checkout@v4' # pinned later\n        with:\n          |\n      - run: make\n`,
    );
    assert.ok(input?.kind === 'with-key');
    assert.equal(input.uses, 'actions/checkout@v4');
  });
});

describe('uses: candidates', () => {
  test('filtered by owner/repo prefix or repository name; sub-path actions included', () => {
    const names = (typed: string) => usesCandidates(new Map(), typed).map((candidate) => candidate.target);
    assert.ok(names('checko').includes('actions/checkout'));
    assert.ok(!names('checko').includes('actions/cache'));
    assert.ok(names('github/codeql-action/').includes('github/codeql-action/upload-sarif'));
    assert.deepEqual(names('nobody-has-this/'), []);
  });

  test('workspace actions carry badges: archived, known-vulnerable, typosquat-looking, not pinnable', () => {
    const file = new ParsedFile(
      URI,
      'workflow',
      `${STEPS}      - uses: actons/checkout@v4\n      - uses: actions/create-release@v1\n      - uses: tj-actions/changed-files@\${{ inputs.ref }}\n`,
    );
    const found = workspaceCandidates([file]);
    assert.deepEqual(found.get('actons/checkout')?.badges, ['looks like actions/checkout']);
    assert.deepEqual(found.get('actions/create-release')?.badges, ['archived']);
    assert.deepEqual(found.get('tj-actions/changed-files')?.badges, ['known-vulnerable versions', 'not pinnable']);
    assert.equal(found.get('actions/create-release')?.tag, 'v1');
  });

  test('offline, a workspace pin with its comment is what the item inserts', () => {
    const other = new ParsedFile(
      'file:///repo/.github/workflows/other.yml',
      'workflow',
      `${STEPS}      - uses: actions/checkout@${SHA_A} # v4.2.2\n`,
    );
    const { text, offset } = at(`${STEPS}      - uses: checko|\n`);
    const analysis = { uri: URI, version: 1, file: new ParsedFile(URI, 'workflow', text), findings: [] };
    const item = completionItems(analysis, offset, [other]).find((candidate) => candidate.label === 'actions/checkout');
    assert.ok(item?.textEdit);
    assert.equal((item.textEdit as { newText: string }).newText, `actions/checkout@${SHA_A} # v4.2.2`);
  });

  test('the value being typed (no @ref yet) is not offered back as an action of the workspace', () => {
    const { text, offset } = at(`${STEPS}      - uses: actions/checko|\n      - uses: actions/setup-no\n`);
    const file = new ParsedFile(URI, 'workflow', text);
    const items = completionItems({ uri: URI, version: 1, file, findings: [] }, offset, [file]);
    const labels = items.map((item) => item.label);
    assert.ok(!labels.includes('actions/checko'), `offered: ${labels.join(', ')}`);
    assert.equal(items.find((item) => item.label === 'actions/checkout')?.labelDetails?.description, 'verified publisher');
    assert.ok(
      !workspaceCandidates([file]).has('actions/setup-no'),
      'a ref-less use elsewhere in the file is not a workspace action either',
    );
  });

  test('offline, resolving an item says whether what it inserts is already pinned', async () => {
    const { text, offset } = at(`${STEPS}      - uses: |\n`);
    const file = new ParsedFile(URI, 'workflow', text);
    const items = completionItems({ uri: URI, version: 1, file, findings: [] }, offset, [file]);
    const offline = () => null;
    const pinned = items.find((item) => item.label === 'actions/checkout');
    const bare = items.find((item) => bundledLatestRelease(item.label.split('/').slice(0, 2).join('/')) === null);
    assert.ok(pinned && bare, 'one catalogue action with a bundled release, one without');
    const note = async (item: (typeof items)[number]) => {
      const resolved = await resolveUsesItem(item, offline, 100);
      return typeof resolved.documentation === 'object' ? resolved.documentation.value : '';
    };
    assert.match(await note(pinned), /Offline: pinned to the release named above/);
    assert.doesNotMatch(await note(pinned), /will need pinning/);
    assert.match(await note(bare), /Offline: the latest release is not resolved\. A tag written here will need pinning/);
  });
});

describe('bundled release lookup (offline hints and completion)', () => {
  const table = [
    { repository: 'octo/act', version: 'v1.2.3', commit: SHA_A },
    { repository: 'octo/act', version: 'v1', commit: SHA_A },
    { repository: 'octo/act', version: 'v2.0.0-rc.1', commit: SHA_B },
  ];

  test('versions at a commit, highest first; latest release skips prereleases', () => {
    assert.deepEqual(bundledVersionsAt('Octo/Act', SHA_A, table), ['v1.2.3', 'v1']);
    assert.deepEqual(bundledVersionsAt('octo/act', 'c'.repeat(40), table), []);
    assert.deepEqual(bundledLatestRelease('octo/act', table), { version: 'v1.2.3', commit: SHA_A });
  });

  test('an inlay hint names the release of a pin without a comment or with a false one, none for a true one', () => {
    const { file, findings } = analyzeText(
      `${STEPS}      - uses: octo/act@${SHA_A}\n      - uses: octo/act@${SHA_A} # v1.0.0\n      - uses: octo/act@${SHA_A} # v1.2.3\n      - uses: octo/act@${SHA_B}\n`,
    );
    const hints = inlayHints({ uri: URI, version: 1, file, findings }, null, table);
    assert.deepEqual(
      hints.map((hint) => [hint.position.line, hint.label]),
      [
        [5, '# v1.2.3'],
        [6, 'is v1.2.3'],
        [8, '# v2.0.0-rc.1'],
      ],
    );
    assert.deepEqual(inlayHints({ uri: URI, version: 1, file, findings }, null, []), [], 'nothing known, no hint');
  });
});

describe('code lenses', () => {
  test('token summaries: a mapping, a shorthand, none, the repository default', () => {
    const { file } = analyzeText(
      'on: push\npermissions: read-all\njobs:\n  a:\n    permissions:\n      issues: write\n      contents: none\n    runs-on: x\n  b:\n    runs-on: x\n  c:\n    permissions: {}\n    runs-on: x\n',
    );
    const workflow = file.workflow!;
    assert.deepEqual(
      workflow.jobs.map((job) => tokenSummary(workflow, job).text),
      ['issues: write', 'read-all (from the workflow)', 'none'],
    );
    const bare = analyzeText('on: push\njobs:\n  a:\n    runs-on: x\n').file.workflow!;
    assert.equal(tokenSummary(bare, bare.jobs[0]).write, null);
  });

  test('a privileged trigger gets a lens; an unprivileged one does not', () => {
    const lensTitles = (text: string) => {
      const { file, findings } = analyzeText(text);
      return codeLenses({ uri: URI, version: 1, file, findings }).map((lens) => lens.command?.title);
    };
    assert.deepEqual(lensTitles('on: issue_comment\npermissions: {}\njobs:\n  a:\n    runs-on: x\n'), [
      'token: none (from the workflow)',
      '⚠ runs with secrets and a read-only token for any commenter',
    ]);
    assert.deepEqual(lensTitles('on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n'), ['token: none (from the workflow)']);
  });
});

describe('knowledge for completion', () => {
  test('the catalogue gives every popular action a description; the typosquat list is the catalogue', () => {
    assert.equal(POPULAR_ACTIONS.length, ACTION_CATALOGUE.length);
    assert.equal(new Set(POPULAR_ACTIONS).size, POPULAR_ACTIONS.length, 'no duplicates');
    for (const entry of ACTION_CATALOGUE) {
      assert.match(entry.action, /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/);
      assert.ok(entry.description.length > 0);
    }
  });

  test('inputs: the table, the token input of the permissions table, the cache switch; unknown names are safe', () => {
    const checkout = knownInputs('actions/checkout').map((input) => input.name);
    assert.ok(checkout.includes('persist-credentials') && checkout.includes('token'));
    assert.ok(knownInputs('actions/setup-python').some((input) => input.name === 'cache' && input.security));
    assert.deepEqual(knownInputs('__proto__'), []);
    assert.deepEqual(knownInputs('constructor'), []);
  });

  test('settings: hints and lenses on by default, off with { enable: false }', () => {
    assert.equal(DEFAULT_SETTINGS.inlayHints, true);
    assert.equal(DEFAULT_SETTINGS.codeLens, true);
    const off = normalizeSettings({ inlayHints: { enable: false }, codeLens: { enable: false } });
    assert.equal(off.inlayHints, false);
    assert.equal(off.codeLens, false);
    assert.equal(normalizeSettings({ inlayHints: 'no', codeLens: { enable: 1 } }).inlayHints, true);
  });
});
