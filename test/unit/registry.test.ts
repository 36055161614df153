import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES, ruleById } from '../../server/src/rules';
import { dangerousTriggers } from '../../server/src/rules/dangerous-triggers';
import { unpinnedUses } from '../../server/src/rules/unpinned-uses';

describe('registry', () => {
  test('rule ids are unique, zizmor-compatible and documented', () => {
    const ids = RULES.map((rule) => rule.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ['unpinned-uses', 'dangerous-triggers', 'excessive-permissions']) {
      const rule = ruleById(id);
      assert.ok(rule, id);
      assert.ok(rule.docs.summary.length > 20 && rule.docs.why.length > 20 && rule.docs.fix.length > 20);
    }
    assert.equal(ruleById('nope'), undefined);
  });
});

describe('rule documentation', () => {
  // Tests run from the repository root (npm scripts and scripts/run-tests.mjs).
  const docs = join(process.cwd(), 'docs', 'rules');
  const cells = (row: string) =>
    row
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.replace(/[¹²³⁴⁵]/g, '').trim());

  test('the index lists every registered rule with its default severity, confidence and persona', () => {
    const index = readFileSync(join(docs, 'README.md'), 'utf8');
    const rows = new Map<string, string[]>();
    for (const line of index.split('\n')) {
      const match = /^\| \[?`([a-z0-9-]+)`/.exec(line);
      if (match) rows.set(match[1], cells(line));
    }
    for (const rule of RULES) {
      const row = rows.get(rule.id);
      assert.ok(
        row,
        `docs/rules/README.md has no row for \`${rule.id}\`: add one (id, title, applies to, severity, confidence, persona, fix)`,
      );
      assert.deepEqual(row.slice(3, 6), [rule.severity, rule.confidence, rule.persona], `defaults of ${rule.id} in docs/rules/README.md`);
    }
    for (const [, target] of index.matchAll(/\]\(([a-z0-9-]+\.md)\)/g)) {
      assert.ok(existsSync(join(docs, target)), `docs/rules/README.md links to missing ${target}`);
    }
  });

  test('the foundation pages exist, explain suppression and compare with zizmor', () => {
    for (const id of ['unpinned-uses', 'dangerous-triggers', 'excessive-permissions', 'syntax-error', 'internal-error']) {
      const page = readFileSync(join(docs, `${id}.md`), 'utf8');
      assert.match(page, new RegExp(`^# \`${id}\``), id);
      assert.ok(page.includes(`# warden: ignore[${id}]`), `${id}: warden marker`);
      assert.ok(page.includes(`# zizmor: ignore[${id}]`), `${id}: zizmor marker`);
      assert.match(page, /## Compatibility with zizmor/);
    }
    for (const rule of [unpinnedUses, dangerousTriggers]) {
      const page = readFileSync(join(docs, `${rule.id}.md`), 'utf8');
      assert.match(page, new RegExp(`\\| Severity \\| ${rule.severity} \\|`), `${rule.id} severity`);
      assert.match(page, new RegExp(`\\| Persona \\| ${rule.persona} \\|`), `${rule.id} persona`);
      assert.match(page, new RegExp(`\\| Confidence \\| ${rule.confidence}\\b`), `${rule.id} confidence`);
    }
  });
});

describe('layout: every rule has its tests and its page', () => {
  // Tests run from the repository root (npm scripts and scripts/run-tests.mjs).
  const ruleTests = join(process.cwd(), 'test', 'unit', 'rules');
  const ids = RULES.map((rule) => rule.id);

  test('every registered rule has test/unit/rules/<id>.test.ts and docs/rules/<id>.md', () => {
    assert.ok(ids.length >= 45, `the registry lists ${ids.length} rules`);
    const missingTests = ids.filter((id) => !existsSync(join(ruleTests, `${id}.test.ts`)));
    const missingDocs = ids.filter((id) => !existsSync(join(process.cwd(), 'docs', 'rules', `${id}.md`)));
    assert.deepEqual(missingTests, [], 'rules without test/unit/rules/<id>.test.ts');
    assert.deepEqual(missingDocs, [], 'rules without docs/rules/<id>.md');
  });

  test('test/unit/rules holds only tests named after a registered rule', () => {
    const strays = readdirSync(ruleTests).filter((name) => !ids.includes(name.replace(/\.test\.ts$/, '')));
    assert.deepEqual(strays, []);
  });
});
