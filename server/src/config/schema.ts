/**
 * The `rules` section of the configuration file's JSON schema (schemas/actions-warden.schema.json),
 * generated from the registry and the table of rule options (./rule-options.ts). A unit test checks that
 * the schema file holds exactly this, so the schema lists the real rule ids and options; run it with
 * `UPDATE_CONFIG_SCHEMA=1` to rewrite the section after adding a rule or an option.
 */
import { knownRuleIds } from './config-file';
import { RULE_OPTIONS, type OptionDescriptor } from './rule-options';

type JsonSchema = Record<string, unknown>;

/** A JSON-schema pattern for uses patterns (what usesPatternProblem accepts; checked by the editor, never run by us). */
const USES_PATTERN = '^(\\*|[^\\s/*@]+/\\*|[^\\s/*@]+/[^\\s/*@]+(/\\*|(/[^\\s/*@]+)*)(@[^\\s@*]+)?)$';
const POLICY_PATTERN = '^(\\*|[^\\s/*@]+/\\*|[^\\s/*@]+/[^\\s/*@]+(/\\*|(/[^\\s/*@]+)*))$';

function optionSchema(option: OptionDescriptor): JsonSchema {
  switch (option.kind) {
    case 'integer':
      return { type: 'integer', minimum: option.minimum, description: option.description };
    case 'names':
      return { type: 'array', items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, description: option.description };
    case 'uses-patterns':
      return { type: 'array', items: { type: 'string', pattern: USES_PATTERN }, description: option.description };
    case 'pin-policies':
      return {
        type: 'object',
        propertyNames: { pattern: POLICY_PATTERN },
        additionalProperties: { type: 'string', enum: ['any', 'ref-pin', 'hash-pin'] },
        description: option.description,
      };
    case 'checksums':
      return {
        type: 'object',
        additionalProperties: { type: 'string', pattern: '^(sha256:)?[0-9a-fA-F]{64}$' },
        description: option.description,
      };
  }
}

function ruleSchema(id: string): JsonSchema {
  const options = RULE_OPTIONS[id];
  if (!options || Object.keys(options).length === 0) return { $ref: '#/definitions/ruleWithoutOptions' };
  const config: JsonSchema = {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(options).map(([name, option]) => [name, optionSchema(option)])),
  };
  if (id === 'forbidden-uses') config.not = { required: ['allow', 'deny'] };
  return { allOf: [{ $ref: '#/definitions/ruleSettings' }, { properties: { config } }] };
}

/** `definitions.pinPolicies` (for `pinning.policies`): the same as `rules.unpinned-uses.config.policies`. */
export function pinPoliciesSchema(): JsonSchema {
  return optionSchema(RULE_OPTIONS['unpinned-uses'].policies);
}

/** `properties.rules` of the schema. */
export function rulesSchema(): JsonSchema {
  const ids = [...new Set(knownRuleIds())].sort();
  return {
    type: 'object',
    description: "Per-rule settings, by rule id (zizmor's rules.<id> shape, plus severity).",
    additionalProperties: false,
    properties: Object.fromEntries(ids.map((id) => [id, ruleSchema(id)])),
  };
}

/** `definitions.ruleWithoutOptions`: the settings of a rule that takes no `config` options. */
export function ruleWithoutOptionsSchema(): JsonSchema {
  return {
    allOf: [
      { $ref: '#/definitions/ruleSettings' },
      { properties: { config: { type: ['object', 'null'], maxProperties: 0, description: 'This rule takes no options.' } } },
    ],
  };
}

/** `definitions.ruleSettings`: the keys every rule takes. */
export function ruleSettingsSchema(): JsonSchema {
  return {
    type: ['object', 'null'],
    properties: {
      disable: { type: 'boolean', description: 'Turn the rule off.' },
      severity: { $ref: '#/definitions/severity', description: "Report the rule's findings with this severity." },
      remap: {
        type: 'object',
        additionalProperties: false,
        properties: { severity: { $ref: '#/definitions/severity' } },
        description: "zizmor's spelling of a severity override.",
      },
      ignore: {
        type: 'array',
        items: { type: 'string', pattern: '^.+?(:[1-9][0-9]*(:[1-9][0-9]*)?)?$' },
        description: 'Locations to ignore: file[:line[:column]] (a file name or a path suffix).',
      },
      config: { type: ['object', 'null'], description: "The rule's options." },
    },
    additionalProperties: false,
  };
}
