import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAs, spanText } from '../support/analysis';
import { classifyGithubContext } from '../../server/src/knowledge/contexts';

const E = (path: string) => '${{ ' + path + ' }}';
const wf = (on: string, steps: string, extra = '') =>
  `on: ${on}\n${extra}jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

describe('contexts knowledge', () => {
  it('classifies event fields per trigger', () => {
    assert.equal(classifyGithubContext('github.event.pull_request.title', ['pull_request_target']).capability, 'arbitrary');
    assert.equal(classifyGithubContext('github.event.pull_request.number', ['pull_request_target']).capability, 'fixed');
    assert.equal(classifyGithubContext('github.event.issue.title', ['push']).capability, 'fixed');
    assert.equal(classifyGithubContext('github.event.comment.body', ['issue_comment']).outsiderTriggers[0], 'issue_comment');
    assert.equal(classifyGithubContext('github.event.head_commit.message', ['push']).capability, 'arbitrary');
    assert.equal(classifyGithubContext('github.event.client_payload.x', ['repository_dispatch']).capability, 'writer');
    assert.equal(classifyGithubContext('github.event.pull_request.user.login', ['pull_request']).capability, 'structured');
    assert.equal(classifyGithubContext('github.sha', null).capability, 'fixed');
    assert.equal(classifyGithubContext('github.head_ref', ['pull_request']).capability, 'arbitrary');
    assert.equal(classifyGithubContext('github.event.commits.0.message', ['push']).capability, 'arbitrary');
  });
});

describe('context hover', () => {
  it("explains who controls a context under the file's triggers", async () => {
    const { contextHover } = await import('../../server/src/features/hovers/contexts');
    const text = wf('pull_request_target', `      - run: echo ${E('github.event.pull_request.title')} ${E('github.sha')}\n`);
    const file = parseAs(text);
    const at = text.indexOf('pull_request.title');
    const sections = contextHover({ file, findings: [] } as never, at);
    assert.equal(sections.length, 1);
    assert.match(sections[0].markdown, /Someone else chooses this text/);
    assert.equal(spanText(text, sections[0].span), 'github.event.pull_request.title');
    const safe = contextHover({ file, findings: [] } as never, text.indexOf('github.sha') + 2);
    assert.match(safe[0].markdown, /Nobody outside/);
  });
});

describe('contexts: one value, one verdict, however it is spelled', () => {
  /** Severity and persona of template-injection's finding for `value` in a `run:` under `on`. */
  async function verdict(on: string, value: string): Promise<string> {
    const { findingsOf } = await import('../support/analysis');
    const { templateInjection } = await import('../../server/src/rules/template-injection');
    const text = wf(on, `      - run: echo "${E(value)}"\n`, 'permissions: {}\n');
    const findings = findingsOf(text, { ruleId: 'template-injection', rules: [templateInjection] });
    return findings.map((finding) => `${finding.severity}/${finding.persona}`).join(',') || 'none';
  }

  it('github.event.pull_request.base.ref is judged as github.base_ref (a branch of this repository)', async () => {
    for (const on of ['pull_request_target', 'pull_request']) {
      const alias = await verdict(on, 'github.event.pull_request.base.ref');
      assert.equal(alias, await verdict(on, 'github.base_ref'), on);
      assert.notEqual(alias, 'none');
      assert.doesNotMatch(alias, /high|regular/);
    }
  });

  it('github.event.pull_request.head.ref is judged as github.head_ref (named by the pull request author)', async () => {
    for (const on of ['pull_request_target', 'pull_request', 'push']) {
      assert.equal(await verdict(on, 'github.event.pull_request.head.ref'), await verdict(on, 'github.head_ref'), on);
    }
    assert.match(await verdict('pull_request_target', 'github.event.pull_request.head.ref'), /^high\/regular$/);
  });

  it('github.event.ref on push is judged as github.ref', async () => {
    assert.equal(await verdict('push', 'github.event.ref'), await verdict('push', 'github.ref'));
  });

  it('fields without a github.* twin keep their own verdict', async () => {
    assert.match(await verdict('pull_request_target', 'github.event.pull_request.title'), /^high\/regular$/);
  });
});
