import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { selfRepository as rule } from '../../../server/src/rules/self-repository';
import { analyze } from '../../../server/src/engine';
import { available, type WorkspaceView } from '../../../server/src/views';
import { analysisOptions, applyFix, parseAs, yaml } from '../../support/analysis';
import { checkFix, run, texts } from '../../support/catalogue-rules';

/** The rule's findings on `text` (as `.github/workflows/ci.yml`) with a workspace view holding `actions`. */
function withWorkspace(text: string, actions: Record<string, string>, complete: boolean) {
  const files = new Map(Object.entries(actions).map(([path, body]) => [path, parseAs(body, path)]));
  const view: WorkspaceView = { root: 'file:///repo', files, complete };
  const file = parseAs(text, '.github/workflows/ci.yml');
  return analyze(file, { ...analysisOptions({ rules: [rule] }), views: { workspace: available(view) } });
}

const ACTION = 'name: setup\ndescription: d\nruns:\n  using: composite\n  steps: []\n';

describe('self-repository', () => {
  const text = yaml`
    on: push
    jobs:
      plain:
        runs-on: x
        steps:
          - uses: actions/checkout@v4
          - uses: ./.github/actions/setup
      pr:
        runs-on: x
        steps:
          - uses: actions/checkout@v4
            with:
              ref: \${{ github.event.pull_request.head.sha }}
          - uses: "./.github/actions/build"
      other:
        runs-on: x
        steps:
          - uses: actions/checkout@v4
            with:
              repository: org/tools
          - uses: ./tool
      nested:
        runs-on: x
        steps:
          - uses: ./../action/init
      reusable:
        uses: ./.github/workflows/r.yml
  `;
  test('./ actions from the workspace; other repositories, ../ and reusable workflows skipped', () => {
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['./', './']);
    // No workspace view: the target could not be checked, so even the plain job's rewrite is for review.
    assert.equal(findings[0].fixes[0].safety, 'unsafe');
    assert.equal(findings[1].fixes[0].safety, 'unsafe');
    assert.match(findings[1].message, /ref checked out earlier in job `pr`/);
  });
  test('fix keeps quotes', () => {
    const findings = run(rule, text);
    checkFix(rule, text, findings[0], text.replace('uses: ./.github/actions/setup', 'uses: $/.github/actions/setup'));
    checkFix(rule, text, findings[1], text.replace('"./.github/actions/build"', '"$/.github/actions/build"'));
  });

  test('the rewrite is safe when the repository holds the action (action.yml or action.yaml)', () => {
    for (const name of ['action.yml', 'action.yaml']) {
      const findings = withWorkspace(text, { [`.github/actions/setup/${name}`]: ACTION, '.github/actions/build/action.yml': ACTION }, true);
      assert.equal(findings.length, 2);
      assert.equal(findings[0].fixes[0].safety, 'safe', name);
      assert.equal(findings[1].fixes[0].safety, 'unsafe', 'an earlier checkout of another ref stays for review');
      assert.equal(applyFix(text, findings[0].fixes[0]), text.replace('uses: ./.github/actions/setup', 'uses: $/.github/actions/setup'));
    }
  });
  test('no rewrite when the repository has no action there: the message says the target is missing', () => {
    const findings = withWorkspace(text, { '.github/actions/build/action.yml': ACTION, '.github/actions/setup/README.md': 'x' }, true);
    assert.equal(findings.length, 2);
    assert.deepEqual(findings[0].fixes, [], 'nothing offered for the missing target');
    assert.match(findings[0].message, /`\.\/\.github\/actions\/setup` .*has no `action\.yml` or `action\.yaml` there/);
    assert.match(findings[0].message, /no rewrite is offered/);
    assert.equal(findings[1].fixes.length, 1, 'the other, present target keeps its fix');
  });
  test('a view that may lack files (a single file scanned) does not call the target missing: offered for review', () => {
    const findings = withWorkspace(text, {}, false);
    assert.equal(findings.length, 2);
    assert.doesNotMatch(findings[0].message, /no rewrite/);
    assert.equal(findings[0].fixes[0].safety, 'unsafe');
  });
});
