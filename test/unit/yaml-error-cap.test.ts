import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine';
import { MAX_REPORTED_YAML_ERRORS, parseFile } from '../../server/src/parse/document';

test('a line of 20,000 stray brackets reports a bounded number of YAML errors and says how many more', () => {
  const text = `on: push\njobs:\n  a:\n    runs-on: x\n${']'.repeat(20_000)}\n`;
  const findings = analyze(parseFile('file:///r/.github/workflows/ci.yml', 'workflow', text));
  const syntax = findings.filter((finding) => finding.ruleId === 'syntax-error');
  assert.equal(syntax.length, MAX_REPORTED_YAML_ERRORS);
  const last = syntax.find((finding) => /more YAML errors after this one/.test(finding.message));
  assert.ok(last, 'one finding says that more errors exist');
  const more = Number(/and (\d+) more/.exec(last.message)?.[1]);
  assert.ok(more > 10_000, `counts the errors not shown (${more})`);
});

test('a document with a few YAML errors reports each of them, with no note', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: x\n]]]\n';
  const syntax = analyze(parseFile('file:///r/.github/workflows/ci.yml', 'workflow', text)).filter(
    (finding) => finding.ruleId === 'syntax-error',
  );
  assert.ok(syntax.length >= 1 && syntax.length < MAX_REPORTED_YAML_ERRORS);
  assert.ok(syntax.every((finding) => !/more YAML errors/.test(finding.message)));
});
