import { describe, test } from 'node:test';
import { expectFindings } from '../../support/expect-findings';

describe('ai-agent-injection: minimal workflows', () => {
  test('an issue body in the prompt of claude-code-action under `issues`: the context', () => {
    const text = 'on: issues\npermissions:\n  contents: write\njobs:\n  agent:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          prompt: "Triage: ${{ github.event.issue.body }}"\n';
    expectFindings(text, 'ai-agent-injection', [['9:31-9:54', /`github.event.issue.body` is written into `prompt` of anthropics\/claude-code-action/]]);
  });

  test('a pull request title in the prompt of codex-action under pull_request_target', () => {
    const text = 'on: pull_request_target\npermissions:\n  contents: write\njobs:\n  agent:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: openai/codex-action@v1\n        with:\n          prompt: ${{ github.event.pull_request.title }}\n';
    expectFindings(text, 'ai-agent-injection', [['9:22-9:53', /`github.event.pull_request.title` is written into `prompt` of openai\/codex-action/]]);
  });

  test('under `push` with a fixed context the prompt is not flagged', () => {
    expectFindings('on: push\npermissions:\n  contents: write\njobs:\n  agent:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          prompt: "Review ${{ github.sha }}"\n', 'ai-agent-injection', []);
  });

  test('a fixed prompt under workflow_dispatch is not flagged', () => {
    expectFindings('on: workflow_dispatch\npermissions:\n  contents: write\njobs:\n  agent:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          prompt: "Update the changelog"\n', 'ai-agent-injection', []);
  });
});
