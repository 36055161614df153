import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../../../server/src/rules';
import { unknownStepReference } from '../../../server/src/rules/unknown-step-reference';
import { analyzeText, applyFix, rangeText, toCRLF } from '../../support/analysis';
import { MALFORMED, run, texts } from '../../support/catalogue-rules';

const rule = unknownStepReference;

/** A job whose steps are `steps` (YAML, indented as items of `steps:`). */
const job = (steps: string) => `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

const SERVER =
  '      - id: server\n        run: ./serve\n        background: true\n      - id: cache-warm\n        run: ./warm\n        background: true\n';

describe('unknown-step-reference', () => {
  test('is registered', () => {
    assert.ok(RULES.includes(rule));
  });

  test('references to earlier steps are fine: a single id, a list, cancel, wait-all', () => {
    const text = job(
      `${SERVER}      - run: ./test\n      - wait: server\n      - wait: [server, cache-warm]\n      - wait:\n          - 'server'\n          - "cache-warm"\n      - cancel: cache-warm\n      - wait-all:\n`,
    );
    assert.deepEqual(run(rule, text), []);
  });

  test('a misspelt id: the range is the id, the message names it and suggests the closest earlier id', () => {
    const text = job(`${SERVER}      - run: ./test\n      - wait: sever\n`);
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['sever']);
    assert.equal(
      findings[0].message,
      '`wait:` of step 4 in job `build` names `sever`, which is not the id of an earlier step: did you mean `server`?',
    );
    assert.equal(findings[0].severity, 'medium');
    const fix = findings[0].fixes[0];
    assert.equal(fix.title, 'Change `sever` to `server`');
    assert.equal(fix.safety, 'unsafe');
    const fixed = applyFix(text, fix);
    assert.equal(fixed, text.replace('wait: sever', 'wait: server'));
    assert.deepEqual(run(rule, fixed), [], 'finding gone after the fix');
  });

  test('each id of a list is checked on its own; quoted ids get the range inside the quotes', () => {
    const text = job(`${SERVER}      - wait: [server, "cahce-warm", 'nope']\n      - name: Stop it\n        cancel: 'cache_warm'\n`);
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['cahce-warm', 'nope', 'cache_warm']);
    assert.match(findings[0].message, /did you mean `cache-warm`\?$/);
    assert.match(findings[1].message, /`nope`, which is not the id of an earlier step \(ids defined before it: `server`, `cache-warm`\)$/);
    assert.equal(
      findings[2].message,
      '`cancel:` of step `Stop it` in job `build` names `cache_warm`, which is not the id of an earlier step: did you mean `cache-warm`?',
    );
    // The fix keeps the quotes.
    assert.equal(applyFix(text, findings[2].fixes[0]), text.replace("cancel: 'cache_warm'", "cancel: 'cache-warm'"));
  });

  test('ids differ in case only: reported (GitHub compares them exactly), with the right spelling suggested', () => {
    const text = job(`${SERVER}      - wait: Server\n`);
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['Server']);
    assert.match(findings[0].message, /did you mean `server`\?$/);
  });

  test('a later step, the step itself, and a step inside a parallel group are reported with the reason', () => {
    const text = job(
      '      - wait: late\n' +
        '      - id: late\n        run: ./late\n        background: true\n' +
        '      - id: self\n        cancel: self\n' +
        '      - parallel:\n          - id: inner\n            run: ./inner\n' +
        '      - wait: inner\n',
    );
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['late', 'self', 'inner']);
    assert.match(findings[0].message, /names `late`, a later step \(step 2\): only a step defined earlier can be waited for$/);
    assert.match(
      findings[1].message,
      /^`cancel:` of step `self` in job `build` names the step itself \(`self`\): a step cannot cancel itself$/,
    );
    assert.match(findings[2].message, /names `inner`, a step inside the `parallel:` group at step 4/);
  });

  test('no earlier id at all: says so, no fix', () => {
    const text = job('      - run: ./a\n      - wait: a\n');
    const findings = run(rule, text);
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /no step before it has an `id:`$/);
    assert.deepEqual(findings[0].fixes, []);
  });

  test('a far-off id gets no suggestion; ids are scoped to their job', () => {
    const text = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - id: compile\n        run: make\n        background: true\n  b:\n    runs-on: x\n    steps:\n      - id: zzz\n        run: ./z\n      - wait: compile\n      - wait: zzzzzzzzzzzz\n`;
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['compile', 'zzzzzzzzzzzz']);
    assert.ok(
      findings.every((f) => !f.message.includes('did you mean') && f.fixes.length === 0),
      findings.map((f) => f.message).join('\n'),
    );
  });

  test('expressions and empty values are not judged', () => {
    const text = job(`${SERVER}      - wait: \${{ matrix.step }}\n      - wait: ''\n      - wait:\n`);
    assert.deepEqual(run(rule, text), []);
  });

  test('exact ranges in a CRLF file with non-ASCII text before the id', () => {
    const text = toCRLF(
      job(`      - id: 服务器\n        name: "🚀 start"\n        run: ./serve\n        background: true\n      - wait: 服务\n`),
    );
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['服务']);
    assert.match(findings[0].message, /did you mean `服务器`\?$/);
    assert.deepEqual(findings[0].fixes, [], 'no fix writes an id outside [A-Za-z0-9_-]');
  });

  test("a composite action is not checked (GitHub's action schema has no wait/cancel)", () => {
    const text = 'runs:\n  using: composite\n  steps:\n    - wait: nothing\n';
    assert.deepEqual(run(rule, text, { path: 'action.yml' }), []);
  });

  test('suppressed by a warden or zizmor comment on the line', () => {
    const text = job(`${SERVER}      - wait: sever  # warden: ignore[unknown-step-reference] intentional\n`);
    assert.deepEqual(run(rule, text), []);
  });

  test('odd shapes never throw', () => {
    for (const text of [
      ...MALFORMED,
      job(
        '      - wait: {a: 1}\n      - cancel: [a]\n      - wait: [[a], {b: 1}, null]\n      - id: [x]\n      - parallel: 3\n      - parallel: [null, 3, {wait: x}]\n',
      ),
    ]) {
      assert.doesNotThrow(() => run(rule, text));
    }
  });

  test('many bad references stay fast and bounded (suggestions have a budget)', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `      - id: step-number-${i}\n        run: x\n        background: true\n`).join('');
    const waits = Array.from({ length: 3000 }, (_, i) => `      - wait: step-numbr-${i}x\n`).join('');
    const text = job(ids + waits);
    const started = performance.now();
    const { findings } = analyzeText(text, { rules: [rule] });
    assert.equal(findings.length, 3000);
    assert.ok(performance.now() - started < 5000, `took ${performance.now() - started} ms`);
    assert.equal(rangeText(text, findings[0].range), 'step-numbr-0x');
  });
});
