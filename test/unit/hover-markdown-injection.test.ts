/**
 * Hovers are Markdown, and the text they quote comes from the scanned repository or from files fetched at
 * a commit of someone else's repository: a `uses:` value, a sub-path, a read error naming them. None of it
 * may become a link, an image or HTML in the hover, whatever backticks, brackets and parentheses it holds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { attachDependencies } from '../../server/src/dependencies/follow';
import { walkDependencies } from '../../server/src/dependencies/walk';
import type { Analysis } from '../../server/src/document-cache';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import { dependencyTreeHover } from '../../server/src/features/hovers/dependency-tree';
import { findingHover } from '../../server/src/features/hovers/findings';
import { parseFile } from '../../server/src/parse/document';
import { RepoData } from '../../server/src/resolve/repo-data';
import { GitHubResolver } from '../../server/src/resolve/resolver';
import { FakeGitHub, sha } from '../support/fake-github';

const EVIL = 'https://evil.example';

/** The Markdown with its code spans taken out (a code span shows its text literally). */
function outsideCode(markdown: string): string {
  let out = '';
  let inCode = false;
  for (let i = 0; i < markdown.length; i++) {
    if (markdown[i] === '\\' && !inCode) {
      i++;
      continue;
    }
    if (markdown[i] === '`') inCode = !inCode;
    else if (!inCode) out += markdown[i];
  }
  return out;
}

/**
 * Fails when the Markdown, outside code spans, holds HTML or a link other than ours: every `[text](target)`
 * must have a target starting with one of `allowed`, in one piece (no parenthesis or space inside).
 */
function assertOnlyOurLinks(markdown: string, allowed: readonly string[]): void {
  const plain = outsideCode(markdown);
  assert.ok(!plain.includes('<img'), `HTML outside code spans:\n${markdown}`);
  for (let at = plain.indexOf(']('); at !== -1; at = plain.indexOf('](', at + 2)) {
    const close = plain.indexOf(')', at + 2);
    const target = plain.slice(at + 2, close === -1 ? undefined : close);
    assert.ok(
      allowed.some((prefix) => target.startsWith(prefix)) && !target.includes('(') && !target.includes(' '),
      `a link to ${target} in:\n${markdown}`,
    );
    assert.ok(close === -1 || plain[close + 1] !== '(', `a link target cut short in:\n${markdown}`);
  }
  assert.ok(!plain.includes('[Click'), `injected link text outside code spans:\n${markdown}`);
}

function analysisOf(text: string): Analysis {
  const file = parseFile('file:///w/.github/workflows/a.yml', 'workflow', text);
  const findings = analyze(file, { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' });
  return { uri: file.uri, version: 0, file, findings } as unknown as Analysis;
}

describe('hover Markdown injection', () => {
  test('a finding message quoting a uses: value with backticks and a link stays text', () => {
    const value = `evil/act@v1\`[Click](${EVIL}/fix)<img>\``;
    const analysis = analysisOf(`on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${value}\n`);
    const unpinned = analysis.findings.find((finding) => finding.ruleId === 'unpinned-uses');
    assert.ok(unpinned, 'the uses: is reported');
    const sections = findingHover(analysis, unpinned.span.start);
    assert.ok(sections.length > 0, 'the uses: has findings');
    for (const section of sections) assertOnlyOurLinks(section.markdown, ['https://actionswarden.dev', 'https://github.com/']);
    // The quoted value is still all there, readable.
    assert.ok(sections.some((section) => section.markdown.includes('Click')));
  });

  describe('the dependency tree of a hostile chain', () => {
    let gh: FakeGitHub;
    let cacheDir: string;
    const subpath = 'a)[Click](evil.example)(';
    before(async () => {
      gh = await new FakeGitHub()
        .repo('evil/act', {
          history: ['ev-1'],
          branches: { main: 'ev-1' },
          tags: { v1: { commit: 'ev-1' } },
          files: {
            'ev-1': {
              [`${subpath}/action.yml`]: `runs:\n  using: composite\n  steps:\n    - uses: evil/act/[Click](evil.example)@v1\n    - uses: evil/act/x\`[Click](evil.example)\`@v1\n`,
            },
          },
        })
        .start();
      cacheDir = mkdtempSync(join(tmpdir(), 'warden-hover-md-'));
    });
    after(async () => {
      await gh.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    });

    test('read errors naming fetched sub-paths and the link to the action stay text, the link target whole', async () => {
      const data = new RepoData(new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, timeoutMs: 1500, cacheDir }), {
        cacheDir,
      });
      const uses = `evil/act/${subpath}@${sha('ev-1')}`;
      const graph = await walkDependencies(data, [uses], { serverUrl: gh.serverUrl });
      const analysis = analysisOf(
        `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}\n`,
      );
      attachDependencies(analysis.file, graph);
      const sections = dependencyTreeHover(analysis, analysis.file.text.indexOf('evil/act') + 2);
      assert.equal(sections.length, 1);
      const markdown = sections[0].markdown;
      assert.match(markdown, /\*\*Dependency tree\*\* at/);
      assert.match(markdown, /not read/, 'the missing nested actions are said');
      assertOnlyOurLinks(markdown, [`${gh.serverUrl}/evil/act/blob/${sha('ev-1')}/`]);
    });
  });
});
