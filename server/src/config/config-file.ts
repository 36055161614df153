/**
 * The configuration file: `.github/actions-warden.yml` (or `actions-warden.yml` at the repository root),
 * and, where neither exists, zizmor's `zizmor.yml` / `.github/zizmor.yml`, whose `rules.<id>.disable`,
 * `rules.<id>.ignore`, `rules.<id>.config` and `rules.<id>.remap.severity` are honoured for the rules we
 * share. Parsing never throws: every problem (bad YAML, a wrong type, an unknown key) becomes a
 * `ConfigProblem` with the span of the offending text, which front ends show as a finding in the
 * config file itself, and whatever else parsed is still used.
 *
 * ```yaml
 * persona: pedantic            # regular | pedantic | auditor
 * min-severity: low            # informational | low | medium | high
 * min-confidence: medium       # low | medium | high
 * github:
 *   hosts: [github.com, ghe.example.com]
 * pinning:
 *   trusted-owners: [actions, github]          # ref-pins (e.g. @v4) allowed for these owners' actions
 *   policies: { "my-org/*": ref-pin }          # zizmor's unpinned-uses policies: any | ref-pin | hash-pin
 *   style: auto                                # sha | lockfile | auto (lockfile when .github/workflows/actions.lock exists)
 *   min-release-age-days: 7                    # "update" prefers releases at least this old (editor default 3)
 * policy:                                      # the repository's expected Actions policy (repository-policy)
 *   repository: owner/repo                     # whose settings are read online (default: the git remote)
 *   require-sha-pinning: true                  # actions must be pinned to a full commit SHA
 *   allowed: [actions/*, my-org/*, '!bad/action@*']   # allowed actions (GitHub's patterns; `!` blocks)
 *   default-permissions: read                  # the default GITHUB_TOKEN permission: read | write
 *   can-approve-pull-requests: false
 * checksums:                                   # download URL -> expected sha256 (unverified-download)
 *   https://example.com/tool-1.2.3.tar.gz: 0123...cdef
 * rules:
 *   excessive-permissions:
 *     severity: medium                         # severity override (zizmor: remap.severity)
 *     ignore: [release.yml:12]                 # file[:line[:col]]
 *   dangerous-triggers:
 *     disable: true
 *   dependabot-cooldown:
 *     config: { days: 7 }
 * ```
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { displayUrl, hasUrlCredentials } from '../../../shared/src/github-hosts';
import { CONFIDENCES, PERSONAS, SEVERITIES, type Confidence, type Persona, type Severity } from '../../../shared/src/settings';
import { LineIndex, type Span } from '../parse/text';
import { editDistance } from '../parse/edit-distance';
import { RULES } from '../rules';
import { BUILT_IN_RULES } from '../findings';
import { isSecretName, ruleOptions, usesPatternProblem, type OptionDescriptor } from './rule-options';

export type ConfigFormat = 'warden' | 'zizmor';

/** A `rules.<id>.ignore` entry: a file (its name, or a path suffix), optionally a 1-based line and column. */
export interface IgnoreLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface RuleSettings {
  disable: boolean;
  severity?: Severity;
  ignore: IgnoreLocation[];
  config: Record<string, unknown>;
}

export interface ConfigProblem {
  span: Span;
  message: string;
  /** `error` for what is dropped (a wrong type, bad YAML); `warning` for what is merely unknown. */
  level: 'error' | 'warning';
}

export interface WardenConfig {
  /** Path of the file (absolute on disk; a URI path in the editor). */
  path: string;
  format: ConfigFormat;
  text: string;
  lines: LineIndex;
  persona?: Persona;
  minSeverity?: Severity;
  minConfidence?: Confidence;
  /**
   * `github.*` as the file names them. A repository's file never decides where a token goes: the CLI checks
   * these against the hosts the user chose (cli/hosts.ts), the language server does not read them.
   */
  githubHosts: string[];
  githubServerUrl?: string;
  githubApiUrl?: string;
  /** Spans of the `github.*` values, for the problems that refuse them. */
  githubSpans?: { serverUrl?: Span; apiUrl?: Span; hosts: Span[] };
  /** `follow-dependencies: false`: online, the actions used are not read at their commits for this repository. */
  followDependencies?: boolean;
  rules: Record<string, RuleSettings>;
  /** `policy.repository`: the GitHub repository whose Actions settings are read (instead of the git remote's). */
  policyRepository?: string;
  /** `pinning.min-release-age-days`: the editor's update actions prefer releases at least this old. */
  minReleaseAgeDays?: number;
  problems: ConfigProblem[];
}

export type PinPolicy = 'any' | 'ref-pin' | 'hash-pin';
export const PIN_POLICIES: readonly PinPolicy[] = ['any', 'ref-pin', 'hash-pin'];

export const OUR_TOP_LEVEL_KEYS = [
  'persona',
  'min-severity',
  'min-confidence',
  'github',
  'pinning',
  'checksums',
  'follow-dependencies',
  'policy',
  'rules',
] as const;

/** The keys of `policy:` (the expected GitHub Actions policy of the repository, for repository-policy). */
export const POLICY_KEYS = ['repository', 'require-sha-pinning', 'allowed', 'default-permissions', 'can-approve-pull-requests'] as const;
const RULE_KEYS_OURS = ['disable', 'ignore', 'config', 'severity', 'remap'];
const RULE_KEYS_ZIZMOR = ['disable', 'ignore', 'config', 'remap'];

/** Every id `rules:` may name: the registry's rules and the engine's own (unused-ignore, ...). */
export function knownRuleIds(): string[] {
  return [...RULES.map((rule) => rule.id), ...BUILT_IN_RULES.map((rule) => rule.id)];
}

/** The known name closest to `name` (one edit for short names, up to a third of the name for longer ones), if any. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const limit = Math.max(1, Math.floor(candidate.length / 3));
    const distance = editDistance(name, candidate, { limit, swaps: true });
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function emptyConfig(path: string, format: ConfigFormat = 'warden', text = ''): WardenConfig {
  return { path, format, text, lines: new LineIndex(text), githubHosts: [], rules: {}, problems: [] };
}

function spanOf(node: unknown, fallback: Span): Span {
  const range = (node as Node | null)?.range;
  return range ? { start: range[0], end: range[1] } : fallback;
}

/** A plain JavaScript value of a YAML node (scalars as is, maps as objects, sequences as arrays). */
function plain(node: unknown): unknown {
  try {
    return (node as { toJSON?: () => unknown } | null)?.toJSON?.() ?? (isScalar(node) ? node.value : null);
  } catch {
    return null;
  }
}

export function parseConfig(text: string, path: string, format: ConfigFormat): WardenConfig {
  const config = emptyConfig(path, format, text);
  const whole: Span = { start: 0, end: Math.min(text.length, config.lines.lineContentEnd(0)) };
  const problem = (node: unknown, message: string, level: ConfigProblem['level'] = 'error') =>
    config.problems.push({ span: spanOf(node, whole), message, level });

  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    config.problems.push({ span: whole, message: `The configuration could not be parsed: ${String(error)}`, level: 'error' });
    return config;
  }
  for (const error of doc.errors) {
    const start = Math.max(0, Math.min(error.pos[0], text.length));
    config.problems.push({
      span: { start, end: Math.max(start, Math.min(error.pos[1], text.length)) },
      message: `YAML: ${error.message.split('\n')[0]}`,
      level: 'error',
    });
  }
  if (doc.errors.length > 0) return config;
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return config; // An empty file is a valid, empty configuration.
  if (!isMap(root)) {
    problem(root, 'The configuration must be a mapping of keys (such as `rules:`).');
    return config;
  }

  const enumValue = <T extends string>(node: unknown, allowed: readonly T[], key: string): T | undefined => {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    problem(node, `\`${key}\` must be one of ${allowed.join(', ')}${value === undefined ? '' : `, not \`${String(value)}\``}.`);
    return undefined;
  };
  const stringList = (node: unknown, key: string): string[] => {
    const items = isSeq(node) ? node.items : isScalar(node) ? [node] : null;
    if (!items) {
      problem(node, `\`${key}\` must be a list of strings.`);
      return [];
    }
    const out: string[] = [];
    for (const item of items) {
      if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') && String(item.value).trim() !== '')
        out.push(String(item.value).trim());
      else problem(item, `Each entry of \`${key}\` must be a non-empty string.`);
    }
    return out;
  };
  const ruleSettings = (id: string): RuleSettings => (config.rules[id] ??= { disable: false, ignore: [], config: {} });

  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    if (format === 'zizmor' && key !== 'rules') continue; // zizmor's other keys are its own business.
    switch (key) {
      case 'persona':
        config.persona = enumValue(value, PERSONAS, key);
        break;
      case 'min-severity':
        config.minSeverity = enumValue(value, SEVERITIES, key);
        break;
      case 'min-confidence':
        config.minConfidence = enumValue(value, CONFIDENCES, key);
        break;
      case 'github': {
        if (!isMap(value)) {
          problem(value ?? pair.key, '`github` must be a mapping with `hosts`, `server-url` or `api-url`.');
          break;
        }
        const spans: NonNullable<WardenConfig['githubSpans']> = { hosts: [] };
        config.githubSpans = spans;
        for (const item of value.items) {
          const sub = isScalar(item.key) ? String(item.key.value) : '';
          if (sub === 'hosts') {
            config.githubHosts = stringList(item.value, 'github.hosts');
            const items = isSeq(item.value) ? item.value.items : [item.value];
            spans.hosts = items
              .filter(
                (entry) =>
                  isScalar(entry) &&
                  (typeof entry.value === 'string' || typeof entry.value === 'number') &&
                  String(entry.value).trim() !== '',
              )
              .map((entry) => spanOf(entry, whole));
          } else if (sub === 'server-url' || sub === 'api-url') {
            const url = isScalar(item.value) ? item.value.value : undefined;
            if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url))
              problem(item.value ?? item.key, `\`github.${sub}\` must be an http(s) URL.`);
            else if (hasUrlCredentials(url))
              problem(
                item.value,
                `\`github.${sub}\` (${displayUrl(url)}) contains credentials, which are refused: a token is never taken from a URL.`,
              );
            else if (sub === 'server-url') {
              config.githubServerUrl = url;
              spans.serverUrl = spanOf(item.value, whole);
            } else {
              config.githubApiUrl = url;
              spans.apiUrl = spanOf(item.value, whole);
            }
          } else problem(item.key, `Unknown key \`github.${sub}\`: expected hosts, server-url or api-url.`, 'warning');
        }
        break;
      }
      case 'pinning': {
        if (!isMap(value)) {
          problem(value ?? pair.key, '`pinning` must be a mapping with `trusted-owners`, `policies` and/or `style`.');
          break;
        }
        const policies: Record<string, PinPolicy> = {};
        for (const item of value.items) {
          const sub = isScalar(item.key) ? String(item.key.value) : '';
          if (sub === 'trusted-owners') {
            for (const owner of stringList(item.value, 'pinning.trusted-owners'))
              policies[owner.includes('/') ? owner : `${owner}/*`] = 'ref-pin';
          } else if (sub === 'policies') Object.assign(policies, readPolicies(item.value, 'pinning.policies', problem));
          else if (sub === 'style') {
            const style = isScalar(item.value) ? item.value.value : null;
            if (style === 'sha' || style === 'lockfile' || style === 'auto') {
              const settings = ruleSettings('unpinned-uses');
              settings.config = { ...settings.config, style };
            } else problem(item.value ?? item.key, '`pinning.style` must be `sha`, `lockfile` or `auto`.');
          } else if (sub === 'min-release-age-days') {
            const days = isScalar(item.value) ? item.value.value : null;
            if (typeof days === 'number' && Number.isInteger(days) && days >= 0 && days <= 365) config.minReleaseAgeDays = days;
            else problem(item.value ?? item.key, '`pinning.min-release-age-days` must be a whole number of days from 0 to 365.');
          } else
            problem(
              item.key,
              `Unknown key \`pinning.${sub}\`: expected trusted-owners, policies, style or min-release-age-days.`,
              'warning',
            );
        }
        if (Object.keys(policies).length > 0) {
          const settings = ruleSettings('unpinned-uses');
          settings.config = {
            ...settings.config,
            policies: { ...policies, ...((settings.config.policies as Record<string, PinPolicy> | undefined) ?? {}) },
          };
        }
        break;
      }
      case 'policy':
        readPolicy(value ?? pair.key, config, ruleSettings('repository-policy'), problem);
        break;
      case 'follow-dependencies':
        if (isScalar(value) && typeof value.value === 'boolean') config.followDependencies = value.value;
        else problem(value ?? pair.key, '`follow-dependencies` must be `true` or `false`.');
        break;
      case 'checksums': {
        if (!isMap(value)) {
          problem(value ?? pair.key, '`checksums` must be a mapping of download URL to its sha256.');
          break;
        }
        const checksums = readChecksums(value, problem);
        const settings = ruleSettings('unverified-download');
        settings.config = {
          ...settings.config,
          checksums: { ...checksums, ...((settings.config.checksums as Record<string, string> | undefined) ?? {}) },
        };
        break;
      }
      case 'rules': {
        const knownIds = new Set(knownRuleIds());
        if (!isMap(value)) {
          if (!(isScalar(value) && value.value === null))
            problem(value ?? pair.key, '`rules` must be a mapping of rule id to its settings.');
          break;
        }
        for (const rulePair of value.items) {
          const id = isScalar(rulePair.key) ? String(rulePair.key.value) : '';
          if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
            problem(rulePair.key, `\`${id}\` is not a rule id (lower-case words joined by dashes).`);
            continue;
          }
          const known = knownIds.has(id);
          if (!known) {
            const suggestion = closestName(id, [...knownIds]);
            // zizmor's file may name zizmor audits we do not have: there only a likely misspelling of one of ours is reported.
            if (suggestion)
              problem(
                rulePair.key,
                `\`${id}\` is not a rule of Actions Warden: did you mean \`${suggestion}\`? Its settings apply to no rule.`,
              );
            else if (format === 'warden')
              problem(rulePair.key, `\`${id}\` is not a rule of Actions Warden: its settings apply to no rule.`, 'warning');
          }
          const body = rulePair.value;
          if (isScalar(body) && body.value === null) continue;
          if (!isMap(body)) {
            problem(
              body ?? rulePair.key,
              `\`rules.${id}\` must be a mapping (disable, ignore, config${format === 'warden' ? ', severity' : ''}, remap).`,
            );
            continue;
          }
          const settings = ruleSettings(id);
          for (const item of body.items) {
            const sub = isScalar(item.key) ? String(item.key.value) : '';
            switch (sub) {
              case 'disable': {
                const flag = isScalar(item.value) ? item.value.value : undefined;
                if (typeof flag === 'boolean') settings.disable = flag;
                else problem(item.value ?? item.key, `\`rules.${id}.disable\` must be true or false.`);
                break;
              }
              case 'severity':
                if (format === 'warden') settings.severity = enumValue(item.value, SEVERITIES, `rules.${id}.severity`) ?? settings.severity;
                else problem(item.key, `Unknown key \`rules.${id}.${sub}\`.`, 'warning');
                break;
              case 'remap': {
                if (!isMap(item.value)) {
                  problem(item.value ?? item.key, `\`rules.${id}.remap\` must be a mapping (severity).`);
                  break;
                }
                for (const remap of item.value.items) {
                  const what = isScalar(remap.key) ? String(remap.key.value) : '';
                  if (what === 'severity')
                    settings.severity = enumValue(remap.value, SEVERITIES, `rules.${id}.remap.severity`) ?? settings.severity;
                  else problem(remap.key, `Unknown key \`rules.${id}.remap.${what}\`: only severity can be remapped.`, 'warning');
                }
                break;
              }
              case 'ignore':
                for (const entry of stringList(item.value, `rules.${id}.ignore`)) {
                  const location = parseIgnoreLocation(entry);
                  if (location) settings.ignore.push(location);
                  else problem(item.value, `\`${entry}\` is not \`file[:line[:column]]\`.`);
                }
                break;
              case 'config': {
                if (isScalar(item.value) && item.value.value === null) break;
                if (!isMap(item.value)) {
                  problem(item.value ?? item.key, `\`rules.${id}.config\` must be a mapping of options.`);
                  break;
                }
                const options = readRuleOptions(id, known, item.value, problem);
                for (const [name, option] of Object.entries(options)) {
                  const existing = settings.config[name];
                  // `pinning.policies` and the top-level `checksums` merge into these; the rule's own entries win.
                  settings.config[name] =
                    (name === 'policies' || name === 'checksums') && existing && typeof existing === 'object'
                      ? { ...(existing as object), ...(option as object) }
                      : option;
                }
                break;
              }
              default:
                problem(
                  item.key,
                  `Unknown key \`rules.${id}.${sub}\`: expected ${(format === 'warden' ? RULE_KEYS_OURS : RULE_KEYS_ZIZMOR).join(', ')}.`,
                  'warning',
                );
            }
          }
        }
        break;
      }
      default:
        problem(pair.key, `Unknown key \`${key}\`: expected one of ${OUR_TOP_LEVEL_KEYS.join(', ')}.`, 'warning');
    }
  }
  return config;
}

function readPolicies(node: unknown, key: string, problem: (node: unknown, message: string) => void): Record<string, PinPolicy> {
  const out: Record<string, PinPolicy> = {};
  if (!isMap(node)) {
    problem(
      node,
      `\`${key}\` must be a mapping of pattern (\`owner/repo\`, \`owner/repo/*\`, \`owner/*\`, \`*\`) to any, ref-pin or hash-pin.`,
    );
    return out;
  }
  for (const item of node.items) {
    const pattern = isScalar(item.key) ? String(item.key.value) : '';
    const policy = isScalar(item.value) ? item.value.value : undefined;
    const wrong = usesPatternProblem(pattern, false);
    if (wrong !== null)
      problem(item.key, `\`${pattern}\`: ${wrong}. Patterns: \`owner/repo\`, \`owner/repo/path\`, \`owner/repo/*\`, \`owner/*\`, \`*\`.`);
    else if (typeof policy !== 'string' || !(PIN_POLICIES as readonly string[]).includes(policy))
      problem(item.value ?? item.key, `The policy of \`${pattern}\` must be one of ${PIN_POLICIES.join(', ')}.`);
    else out[pattern] = policy as PinPolicy;
  }
  return out;
}

type Problem = (node: unknown, message: string, level?: ConfigProblem['level']) => void;

/**
 * `policy:`: the expected Actions policy, given to repository-policy as its `policy` option (a
 * RepositoryPolicy with source `config`), and `policy.repository` for the front ends.
 */
function readPolicy(node: unknown, config: WardenConfig, settings: RuleSettings, problem: Problem): void {
  if (!isMap(node)) {
    problem(node, `\`policy\` must be a mapping with ${POLICY_KEYS.join(', ')}.`);
    return;
  }
  const policy: {
    source: 'config';
    patterns: string[];
    allowedActions?: 'selected';
    shaPinningRequired?: boolean;
    defaultWorkflowPermissions?: 'read' | 'write';
    canApprovePullRequestReviews?: boolean;
    repository?: string;
  } = { source: 'config', patterns: [] };
  const flag = (item: { key: unknown; value: unknown }, key: string): boolean | undefined => {
    const value = isScalar(item.value) ? item.value.value : undefined;
    if (typeof value === 'boolean') return value;
    problem(item.value ?? item.key, `\`policy.${key}\` must be true or false.`);
    return undefined;
  };
  for (const item of node.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    switch (key) {
      case 'repository': {
        const text = isScalar(item.value) && typeof item.value.value === 'string' ? item.value.value.trim() : '';
        const parts = text.split('/');
        if (parts.length === 2 && /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/.test(parts[0]) && /^[A-Za-z0-9._-]{1,100}$/.test(parts[1])) {
          config.policyRepository = text;
          policy.repository = text;
        } else problem(item.value ?? item.key, '`policy.repository` must be `owner/repo`.');
        break;
      }
      case 'require-sha-pinning':
        policy.shaPinningRequired = flag(item, key);
        break;
      case 'can-approve-pull-requests':
        policy.canApprovePullRequestReviews = flag(item, key);
        break;
      case 'default-permissions': {
        const value = isScalar(item.value) ? item.value.value : undefined;
        if (value === 'read' || value === 'write') policy.defaultWorkflowPermissions = value;
        else problem(item.value ?? item.key, '`policy.default-permissions` must be `read` or `write`.');
        break;
      }
      case 'allowed': {
        const items = isSeq(item.value) ? item.value.items : null;
        if (!items) {
          problem(item.value ?? item.key, '`policy.allowed` must be a list of patterns (`owner/*`, `owner/repo@*`, `!owner/repo@v1`).');
          break;
        }
        policy.allowedActions = 'selected';
        for (const entry of items) {
          const text = isScalar(entry) && typeof entry.value === 'string' ? entry.value.trim() : '';
          const wrong = policyPatternProblem(text);
          if (wrong === null) policy.patterns.push(text);
          else problem(entry, `\`${text}\` is not an allowed-actions pattern: ${wrong}.`);
        }
        break;
      }
      default: {
        const suggestion = closestName(key, POLICY_KEYS);
        problem(
          item.key,
          `Unknown key \`policy.${key}\`${suggestion ? `: did you mean \`${suggestion}\`?` : `: expected ${POLICY_KEYS.join(', ')}.`}`,
          suggestion ? 'error' : 'warning',
        );
      }
    }
  }
  settings.config = { ...settings.config, policy };
}

/** Checks a pattern of GitHub's allowed-actions list (`owner/repo[/path][@ref]`, `*` wildcards, a leading `!`); null when valid. */
export function policyPatternProblem(pattern: string): string | null {
  if (pattern === '') return 'it is empty';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return 'a pattern has no spaces or control characters';
  }
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  const at = body.indexOf('@');
  const target = at === -1 ? body : body.slice(0, at);
  if (at !== -1 && (body.slice(at + 1) === '' || body.indexOf('@', at + 1) !== -1)) return 'one ref (or `*`) after a single `@`';
  const slash = target.indexOf('/');
  if (slash <= 0) return 'it names an owner and a repository (`owner/repo`, `owner/*`)';
  return null;
}

/**
 * The options of `rules.<id>.config` that are valid for the rule (./rule-options.ts); every other key is a
 * problem at its own line: an unknown option (with a "did you mean"), a wrong type or range, a pattern
 * that is not one. Options of an id that is not a rule are kept as written (the id itself is reported).
 */
function readRuleOptions(id: string, known: boolean, node: YAMLMap, problem: Problem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const table = ruleOptions(id);
  const names = Object.keys(table);
  for (const item of node.items) {
    const name = isScalar(item.key) ? String(item.key.value) : '';
    const key = `rules.${id}.config.${name}`;
    const descriptor = table[name];
    if (!known) {
      out[name] = plain(item.value);
      continue;
    }
    if (!descriptor) {
      const suggestion = closestName(name, names);
      problem(
        item.key,
        names.length === 0
          ? `\`${id}\` takes no options: \`${key}\` is ignored.`
          : `Unknown option \`${key}\`${suggestion ? `: did you mean \`${suggestion}\`?` : `: expected ${names.join(', ')}.`}`,
        suggestion ? 'error' : 'warning',
      );
      continue;
    }
    const value = readOption(key, descriptor, item.value ?? item.key, problem);
    if (value !== undefined) out[name] = value;
  }
  if (id === 'forbidden-uses' && out.allow !== undefined && out.deny !== undefined) {
    const denyPair = node.items.find((item) => isScalar(item.key) && item.key.value === 'deny');
    problem(
      denyPair?.key,
      '`rules.forbidden-uses.config` takes `allow` or `deny`, not both: `deny` is ignored while `allow` is set.',
      'warning',
    );
    delete out.deny;
  }
  return out;
}

/** One option's value checked against its descriptor; undefined (and a problem) when it is not valid. */
function readOption(key: string, descriptor: OptionDescriptor, node: unknown, problem: Problem): unknown {
  switch (descriptor.kind) {
    case 'integer': {
      const value = isScalar(node) ? node.value : undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < descriptor.minimum) {
        const shown = isScalar(node) ? `, not \`${String(node.value)}\`` : '';
        problem(node, `\`${key}\` must be a whole number of at least ${descriptor.minimum}${shown}.`);
        return undefined;
      }
      return value;
    }
    case 'names':
    case 'uses-patterns': {
      const items = isSeq(node) ? node.items : null;
      if (!items) {
        problem(node, `\`${key}\` must be a list of ${descriptor.kind === 'names' ? 'secret names' : 'uses patterns'}.`);
        return undefined;
      }
      const out: string[] = [];
      for (const item of items) {
        const text = isScalar(item) && typeof item.value === 'string' ? item.value.trim() : null;
        if (text === null || text === '') {
          problem(item, `Each entry of \`${key}\` must be a non-empty string.`);
          continue;
        }
        if (descriptor.kind === 'names') {
          if (isSecretName(text)) out.push(text);
          else problem(item, `\`${text}\` is not a secret name (letters, digits and \`_\`, not starting with a digit).`);
          continue;
        }
        const wrong = usesPatternProblem(text, true);
        if (wrong === null) out.push(text);
        else problem(item, `\`${text}\` is not a uses pattern: ${wrong}.`);
      }
      return out;
    }
    case 'pin-policies':
      return readPolicies(node, key, problem);
    case 'checksums': {
      if (!isMap(node)) {
        problem(node, `\`${key}\` must be a mapping of download URL to its sha256.`);
        return undefined;
      }
      return readChecksums(node, problem);
    }
  }
}

/** Download URL to sha256 (64 hex digits, optionally `sha256:`); entries that are not are problems. */
function readChecksums(node: YAMLMap, problem: Problem): Record<string, string> {
  const checksums: Record<string, string> = {};
  for (const item of node.items) {
    const url = isScalar(item.key) ? String(item.key.value) : '';
    const sum = isScalar(item.value) ? String(item.value.value ?? '') : '';
    const hex = sum.replace(/^sha256:/i, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hex)) problem(item.value ?? item.key, `The checksum of \`${url}\` must be a 64-hex-digit sha256.`);
    else checksums[url] = hex;
  }
  return checksums;
}

/** `ci.yml`, `ci.yml:12`, `.github/workflows/ci.yml:12:5`; null when the line or column is not a positive number. */
export function parseIgnoreLocation(entry: string): IgnoreLocation | null {
  const match = /^(.*?)(?::(\d+))?(?::(\d+))?$/.exec(entry.trim());
  if (!match || match[1] === '') return null;
  const line = match[2] === undefined ? undefined : Number(match[2]);
  const column = match[3] === undefined ? undefined : Number(match[3]);
  if (line === 0 || column === 0) return null;
  return { file: match[1].replace(/\\/g, '/').replace(/^\.\//, ''), line, column };
}

/**
 * True when `location` names the file at `relativePath` (relative to the repository root, `/`
 * separators) and the finding starting at 1-based `line`:`column`. Without a column, a line anywhere in
 * the finding's `line`..`endLine` matches, as inline ignores do; with one, it must be the finding's start.
 */
export function ignoreMatches(location: IgnoreLocation, relativePath: string, line: number, endLine: number, column: number): boolean {
  const path = relativePath.replace(/\\/g, '/');
  if (path !== location.file && !path.endsWith(`/${location.file}`)) return false;
  if (location.line === undefined) return true;
  if (location.line < line || location.line > endLine) return false;
  return location.column === undefined || (location.line === line && location.column === column);
}
