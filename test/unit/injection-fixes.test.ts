/**
 * Regression tests for the template-injection quick fix "Move … into env": every fix offered must give
 * YAML that parses, remove its finding and add no other finding; where no valid edit exists, no fix.
 * Minimal reproductions of the corpus failures found by test/unit/fix-safety.test.ts (actions/setup-python
 * `run: ${{ steps.setup-python.outputs.python-path }} --version`) and of neighbouring shapes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { analyze } from '../../server/src/engine';
import { editsKeepYamlValid } from '../../server/src/fixes/verify';
import type { Finding } from '../../server/src/findings';
import { analysisOptions, applyFix, parseAs, toCRLF } from '../support/analysis';

const RULE = 'template-injection';
const E = (path: string) => '${{ ' + path + ' }}';
const TITLE = E('github.event.issue.title');
const wf = (steps: string) => `on: issues\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

function all(text: string, path?: string): Finding[] {
  return analyze(parseAs(text, path), analysisOptions({ path }));
}
const countBy = (findings: readonly Finding[]) => {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return counts;
};

/** Applies the fix of the first template-injection finding; checks parse, finding gone, nothing new. */
function fixAndRecheck(text: string, path?: string): string {
  const before = all(text, path);
  const target = before.find((f) => f.ruleId === RULE);
  assert.ok(target, 'expected a template-injection finding');
  const fix = target.fixes[0];
  assert.ok(fix, 'expected a fix');
  const fixed = applyFix(text, fix);
  const file = parseAs(fixed, path);
  assert.deepEqual(file.problems, [], `fixed text must parse:\n${fixed}`);
  const after = all(fixed, path);
  assert.equal(
    after.filter((f) => f.ruleId === RULE && f.message === target.message).length,
    before.filter((f) => f.ruleId === RULE && f.message === target.message).length - 1,
    fixed,
  );
  const beforeCounts = countBy(before);
  for (const [rule, count] of countBy(after)) assert.ok(count <= (beforeCounts.get(rule) ?? 0), `adds a ${rule} finding:\n${fixed}`);
  return fixed;
}

/** The `run:` value of the first step as YAML reads it. */
function firstRun(text: string, path?: string): unknown {
  const doc = parseDocument(text).toJS();
  const steps = path === 'action.yml' ? doc.runs.steps : (Object.values(doc.jobs)[0] as { steps: { run: unknown }[] }).steps;
  return steps[0].run;
}

const fixesOf = (text: string, path?: string) =>
  all(text, path)
    .filter((f) => f.ruleId === RULE)
    .flatMap((f) => f.fixes);

describe('template-injection fix: plain scalars that start with the expression', () => {
  it('quotes the scalar in YAML instead of writing `run: "${X}" --version` (setup-python)', () => {
    const text = wf(`      - name: version\n        run: ${E('steps.setup-python.outputs.python-path')} --version\n`);
    const fixed = fixAndRecheck(text);
    assert.match(fixed, /run: '"\$\{STEPS_SETUP_PYTHON_OUTPUTS_PYTHON_PATH\}" --version'\n/);
    assert.equal(firstRun(fixed), '"${STEPS_SETUP_PYTHON_OUTPUTS_PYTHON_PATH}" --version');
  });

  it('doubles single quotes of the script when quoting it', () => {
    const text = wf(`      - run: ${E('steps.py.outputs.path')} -c 'import math; print(math.factorial(5))'\n`);
    const fixed = fixAndRecheck(text);
    assert.equal(firstRun(fixed), `"\${STEPS_PY_OUTPUTS_PATH}" -c 'import math; print(math.factorial(5))'`);
  });

  it('keeps the shell quotes when the expression is the whole script', () => {
    const fixed = fixAndRecheck(wf(`      - run: ${TITLE}\n`));
    assert.equal(firstRun(fixed), '"${ISSUE_TITLE}"');
  });

  it('keeps the folding of a multi-line plain scalar', () => {
    const text = wf(`      - run: ${TITLE} a\n          b 'c'\n`);
    const original = String(firstRun(text)).replace(TITLE, '"${ISSUE_TITLE}"');
    assert.equal(firstRun(fixAndRecheck(text)), original);
  });

  it('quotes a cmd script that would start with %', () => {
    const fixed = fixAndRecheck(wf(`      - shell: cmd\n        run: ${TITLE} x\n`));
    assert.equal(firstRun(fixed), '%ISSUE_TITLE% x');
  });

  it('leaves pwsh `$env:X` and mid-script replacements unquoted', () => {
    const fixed = fixAndRecheck(wf(`      - shell: pwsh\n        run: ${TITLE} x\n`));
    assert.match(fixed, /run: \$env:ISSUE_TITLE x\n/);
    assert.match(fixAndRecheck(wf(`      - run: echo a\n          ${TITLE} b\n`)), /\n {10}"\$\{ISSUE_TITLE\}" b\n/);
  });

  it('works with CRLF line endings', () => {
    const fixed = fixAndRecheck(toCRLF(wf(`      - run: ${E('steps.py.outputs.path')} --version\n      - run: ok\n`)));
    assert.ok(
      fixed.includes(
        `run: '"\${STEPS_PY_OUTPUTS_PATH}" --version'\r\n        env:\r\n          STEPS_PY_OUTPUTS_PATH: ${E('steps.py.outputs.path')}\r\n      - run: ok\r\n`,
      ),
      fixed,
    );
  });

  it('works in a composite action', () => {
    const text = `name: a\ndescription: d\ninputs:\n  x:\n    description: x\nruns:\n  using: composite\n  steps:\n    - run: ${E('inputs.x')} a\n      shell: bash\n`;
    const fixed = fixAndRecheck(text, 'action.yml');
    assert.equal(firstRun(fixed, 'action.yml'), '"${INPUTS_X}" a');
    assert.match(fixed, /\n {4}  env:\n {8}INPUTS_X: \$\{\{ inputs\.x \}\}\n$/);
  });
});

describe('template-injection fix: env placement', () => {
  it('adds to an env: written after run: in a `- name:` step', () => {
    const fixed = fixAndRecheck(wf(`      - name: x\n        run: echo ${TITLE}\n        env:\n          A: b\n`));
    assert.match(fixed, /\n {8}env:\n {10}A: b\n {10}ISSUE_TITLE: \$\{\{ github\.event\.issue\.title \}\}\n$/);
  });

  it('adds env: after a block script that ends the file without a line break', () => {
    const fixed = fixAndRecheck(wf(`      - name: x\n        run: |\n          echo ${TITLE}`));
    assert.match(fixed, /echo "\$\{ISSUE_TITLE\}"\n {8}env:\n {10}ISSUE_TITLE: /);
  });

  it('puts an expression written over several lines on one env line', () => {
    const fixed = fixAndRecheck(wf(`      - run: |\n         echo \${{\n         github.event.issue.title }}\n`));
    assert.match(fixed, /\n {10}ISSUE_TITLE: \$\{\{ github\.event\.issue\.title \}\}\n$/);
  });

  it('offers no fix when env: is an alias or an anchored map shared with other steps', () => {
    assert.deepEqual(fixesOf(`x: &e\n  A: b\n${wf(`      - env: *e\n        run: echo ${TITLE}\n`)}`), []);
    assert.deepEqual(fixesOf(wf(`      - env: &e\n          A: b\n        run: echo ${TITLE}\n      - env: *e\n        run: x\n`)), []);
  });

  it('offers no fix in flow mappings, folded or double-quoted scripts', () => {
    assert.deepEqual(fixesOf(wf(`      - { run: "echo ${TITLE}" }\n`)), []);
    assert.deepEqual(fixesOf(wf(`      - env: { A: b }\n        run: echo ${TITLE}\n`)), []);
    assert.deepEqual(fixesOf(wf(`      - run: >\n          echo ${TITLE}\n`)), []);
    assert.deepEqual(fixesOf(wf(`      - run: "echo ${TITLE}"\n`)), []);
  });
});

describe('editsKeepYamlValid', () => {
  const text = 'steps:\n  - name: a\n    run: x --version\n  - run: b\n';
  const step = { start: text.indexOf('name'), end: text.indexOf('  - run: b') };
  const at = text.indexOf('x --version');

  it('accepts edits that keep the step valid (with an insertion right after it), rejects others', () => {
    assert.equal(
      editsKeepYamlValid(text, step, [
        { span: { start: at, end: at + 1 }, newText: '"$X"' },
        { span: { start: step.end, end: step.end }, newText: '    env:\n      X: y\n' },
      ]),
      false,
    );
    assert.equal(
      editsKeepYamlValid(text, step, [
        { span: { start: at, end: at + 1 }, newText: '$X' },
        { span: { start: step.end, end: step.end }, newText: '    env:\n      X: y\n' },
      ]),
      true,
    );
  });

  it('rejects a mis-indented insertion', () => {
    assert.equal(editsKeepYamlValid(text, step, [{ span: { start: step.end, end: step.end }, newText: '   env:\n      X: y\n' }]), false);
  });
});
