import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hover } from '../../server/src/features/hover';
import { workflowCallHover } from '../../server/src/features/hovers/workflow-call';
import { available, unavailable } from '../../server/src/views';
import { workspaceOf } from '../support/workspace';

const REUSABLE = 'on:\n  workflow_call:\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';
const at = REUSABLE.indexOf('workflow_call') + 3;

test('the workflow_call hover lists each caller with its triggers, permissions and secrets', () => {
  const space = workspaceOf({
    '.github/workflows/reusable.yml': REUSABLE,
    '.github/workflows/bot.yml':
      'on: issue_comment\npermissions:\n  contents: write\njobs:\n  b:\n    uses: ./.github/workflows/reusable.yml\n    secrets: inherit\n',
    '.github/workflows/ci.yml':
      'on: push\njobs:\n  c:\n    permissions: read-all\n    uses: ./.github/workflows/reusable.yml\n    secrets:\n      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n',
    '.github/workflows/other.yml': 'on: push\njobs:\n  o:\n    uses: ./.github/workflows/elsewhere.yml\n',
  });
  const file = space.file('.github/workflows/reusable.yml');
  const analysis = { uri: file.uri, version: 0, file, findings: [], workspace: available(space.view) };
  const [section] = workflowCallHover(analysis, at);
  assert.ok(section);
  assert.match(section.markdown, /Callers in this repository\*\* \(2\)/);
  assert.match(
    section.markdown,
    /`\.github\/workflows\/bot\.yml`, job `b` — on `issue_comment` ⚠ fired by people without write access; permissions: `contents: write`; secrets: `inherit`/,
  );
  assert.match(section.markdown, /`\.github\/workflows\/ci\.yml`, job `c` — on `push`; permissions: `read-all`; secrets: `NPM_TOKEN`/);
  assert.doesNotMatch(section.markdown, /other\.yml/);
  // Through the hover feature, beside the trigger's own section.
  const whole = hover(analysis, at);
  assert.ok(whole && typeof whole.contents === 'object' && 'value' in whole.contents);
  assert.match(whole.contents.value, /workflow_call`\*\* — fired by/);
  assert.match(whole.contents.value, /Callers in this repository/);
});

test('the workflow_call hover says when nothing calls it, or when the repository is not indexed; other triggers get no such section', () => {
  const space = workspaceOf({ '.github/workflows/reusable.yml': REUSABLE });
  const file = space.file('.github/workflows/reusable.yml');
  const none = workflowCallHover({ uri: file.uri, version: 0, file, findings: [], workspace: available(space.view) }, at);
  assert.match(none[0].markdown, /no workflow of this repository calls it/);
  const unknown = workflowCallHover({ uri: file.uri, version: 0, file, findings: [], workspace: unavailable('not-indexed') }, at);
  assert.match(unknown[0].markdown, /not indexed/);
  assert.deepEqual(workflowCallHover({ uri: file.uri, version: 0, file, findings: [] }, REUSABLE.indexOf('jobs')), []);
});
