/**
 * The configuration file's JSON schema lists the real rule ids and each rule's options: its `rules`
 * section must be what server/src/config/schema.ts generates from the registry and the table of rule
 * options, so it cannot drift. `UPDATE_CONFIG_SCHEMA=1 node scripts/run-tests.mjs unit config-schema`
 * rewrites it.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { knownRuleIds, parseConfig } from '../../server/src/config/config-file';
import { RULE_OPTIONS, usesPatternProblem } from '../../server/src/config/rule-options';
import { pinPoliciesSchema, rulesSchema, ruleSettingsSchema, ruleWithoutOptionsSchema } from '../../server/src/config/schema';
import { RULES } from '../../server/src/rules';

const ROOT = join(__dirname, '..', '..', '..');
const SCHEMA_PATH = join(ROOT, 'schemas', 'actions-warden.schema.json');

/** JSON with two-space indentation, each object or array on one line when it fits in 140 columns. */
function compactJson(value: unknown, indent: string): string {
  const flat = JSON.stringify(value)
    .replace(/","/g, '", "')
    .replace(/":/g, '": ')
    .replace(/,(?=[{[\d"tfn])/g, ', ');
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= 120) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((item) => inner + compactJson(item, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${compactJson(item, inner)}`).join(',\n')}\n${indent}}`;
}

test('the schema file holds the generated rules section (every registry id, each rule with its own options)', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
  if (process.env.UPDATE_CONFIG_SCHEMA === '1') {
    schema.definitions.pinPolicies = pinPoliciesSchema();
    schema.definitions.ruleSettings = ruleSettingsSchema();
    schema.definitions.ruleWithoutOptions = ruleWithoutOptionsSchema();
    schema.properties.rules = rulesSchema();
    writeFileSync(SCHEMA_PATH, `${compactJson(schema, '')}\n`);
  }
  assert.deepEqual(schema.properties.rules, rulesSchema(), 'regenerate with UPDATE_CONFIG_SCHEMA=1');
  assert.deepEqual(schema.definitions.ruleSettings, ruleSettingsSchema(), 'regenerate with UPDATE_CONFIG_SCHEMA=1');
  assert.deepEqual(schema.definitions.pinPolicies, pinPoliciesSchema(), 'regenerate with UPDATE_CONFIG_SCHEMA=1');
  assert.deepEqual(schema.definitions.ruleWithoutOptions, ruleWithoutOptionsSchema(), 'regenerate with UPDATE_CONFIG_SCHEMA=1');
  const listed = Object.keys(schema.properties.rules.properties);
  for (const rule of RULES) assert.ok(listed.includes(rule.id), rule.id);
  assert.ok(!listed.includes('artipaked'));
  assert.equal(schema.properties.rules.additionalProperties, false);
});

test('every rule in the options table is a real rule, and every option it declares is validated', () => {
  const ids = new Set(knownRuleIds());
  for (const [id, options] of Object.entries(RULE_OPTIONS)) {
    assert.ok(ids.has(id), id);
    for (const name of Object.keys(options)) {
      const text = `rules:\n  ${id}:\n    config:\n      ${name}: 0.5\n`;
      const problems = parseConfig(text, '/r/.github/actions-warden.yml', 'warden').problems;
      assert.equal(problems.length, 1, `${id}.${name}: ${JSON.stringify(problems)}`);
      assert.equal(text.slice(problems[0].span.start, problems[0].span.end), '0.5');
    }
  }
});

test("the schema's uses-pattern regexes (run by the editor) agree with the scanner the configuration parser uses", () => {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
  const withRef = new RegExp(
    schema.properties.rules.properties['forbidden-uses'].allOf[1].properties.config.properties.allow.items.pattern,
  );
  const withoutRef = new RegExp(schema.definitions.pinPolicies.propertyNames.pattern);
  const samples = [
    '*',
    'a/*',
    'a/b',
    'a/b/*',
    'a/b/c/d',
    'a/b@v1',
    'a/b/c@main',
    'a',
    '*/b',
    'a/b*',
    'a/b/*/c',
    'a//b',
    'a b/c',
    'a/*/c',
    'a/b@',
    'a/*@v1',
    'a/b@v1@v2',
    '@v1',
    'a/b/',
  ];
  for (const sample of samples) {
    assert.equal(withRef.test(sample), usesPatternProblem(sample, true) === null, `${sample} (with refs)`);
    assert.equal(withoutRef.test(sample), usesPatternProblem(sample, false) === null, `${sample} (policies)`);
  }
});
