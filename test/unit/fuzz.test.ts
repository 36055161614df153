/**
 * Fuzzing at a small size with a fixed seed (the big run: `npm run fuzz -- --iterations 100000`).
 * Mutants of real files must never make the engine throw, report an internal error, take too long,
 * produce a range outside the document (or one that disagrees with its span) or differ between runs.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkOracle, fuzz, MUTATORS, seedFiles } from '../support/fuzz';

const ROOT = join(__dirname, '..', '..', '..');
const ITERATIONS = Number(process.env.WARDEN_FUZZ_ITERATIONS ?? 1500);

test(`fuzz: ${ITERATIONS} mutants of corpus files hold the oracle (seed 9)`, () => {
  const seeds = seedFiles(ROOT);
  assert.ok(seeds.length > 0);
  const result = fuzz({ iterations: ITERATIONS, seed: 9, hugeEvery: 750, timeLimitMs: 5000, seeds });
  const report = result.failures
    .slice(0, 5)
    .map((failure) => `#${failure.iteration} ${failure.seedPath} [${failure.mutators.join(', ')}]: ${failure.problem}`);
  assert.deepEqual(report, []);
});

test('fuzz: every mutator alone, on a workflow, an action and a dependabot file', () => {
  const seeds = seedFiles(ROOT);
  const byKind = ['workflow', 'action', 'dependabot']
    .map((kind) => seeds.find((seed) => seed.kind === kind))
    .filter((seed) => seed !== undefined);
  for (const seed of byKind) {
    for (const [name, mutate] of Object.entries(MUTATORS)) {
      let state = 42;
      const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const problems = checkOracle(mutate(seed.text, random), seed.kind, seed.path, 5000);
      assert.deepEqual(problems, [], `${name} on ${seed.path}`);
    }
  }
});

test('fuzz: pathological documents stay bounded', () => {
  const cases: [string, string][] = [
    ['empty', ''],
    ['only a BOM', '\ufeff'],
    ['NUL bytes', '\u0000\u0000on: push\u0000'],
    ['a scalar', 'just text'],
    ['a list', '- a\n- b'],
    ['lone surrogates', 'on: push\njobs:\n  a\ud800:\n    steps:\n      - run: echo \udfff\n'],
    ['deep flow nesting', `on: ${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['deep block nesting', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')],
    [
      'alias bomb',
      [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        ...Array.from(
          { length: 12 },
          (_, i) =>
            `b${i}: &b${i} [${Array(9)
              .fill(i === 0 ? '*a' : `*b${i - 1}`)
              .join(', ')}]`,
        ),
        'jobs: *b11',
      ].join('\n'),
    ],
    ['10 MB', 'on: push\njobs:\n'.padEnd(10 * 1024 * 1024, '#')],
    // (30,000 checkouts in one job took minutes in artipacked, quadratic per checkout: see docs/performance.md.)
    [
      '3 MB of run steps',
      `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n${'      - run: echo "${{ github.head_ref }}" && git push\n        env: { A: b }\n'.repeat(40_000)}`,
    ],
  ];
  for (const [name, text] of cases) {
    for (const kind of ['workflow', 'action', 'dependabot'] as const) {
      assert.deepEqual(checkOracle(text, kind, 'x.yml', 20_000), [], `${name} as ${kind}`);
    }
  }
});
