// Generates server/src/knowledge/webhook-contexts.generated.ts: for each workflow trigger, which
// `github.event.*` fields carry text that the person causing the event chooses. Source: GitHub's own
// webhook OpenAPI description, the npm package @octokit/openapi-webhooks (MIT; a dev dependency).
//
//   node scripts/generate-contexts.mjs            (rewrites the generated file)
//   node scripts/generate-contexts.mjs --check    (exits 1 when the committed file is stale)
//
// Classification of a leaf of the payload schema:
// - fixed (omitted from the table): numbers, integers, booleans, enums, date/date-time formats, ids,
//   SHAs, timestamps (`*_at`), colours, and URLs that GitHub builds (`*url` fields with format uri);
// - structured ('s'): logins, repository and owner names, e-mail addresses: a constrained character set
//   or format that still carries an outsider's choice;
// - arbitrary ('a'): every other string (titles, bodies, names, refs, labels, messages, user-set URLs
//   such as `homepage`/`blog`), and open objects (`additionalProperties`, `client_payload`).
// The hand-reviewed exceptions are the NAME_RULES below; server/src/knowledge/contexts.ts layers the
// curated safe list and the non-event `github.*` contexts on top.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'server', 'src', 'knowledge', 'webhook-contexts.generated.ts');
const spec = require('@octokit/openapi-webhooks/generated/api.github.com.json');
const pkg = require('@octokit/openapi-webhooks/package.json');

/** Webhook events that can trigger a workflow (GitHub Docs, "Events that trigger workflows"). */
const WORKFLOW_EVENTS = new Set([
  'branch_protection_rule',
  'check_run',
  'check_suite',
  'create',
  'delete',
  'deployment',
  'deployment_status',
  'discussion',
  'discussion_comment',
  'fork',
  'gollum',
  'issue_comment',
  'issues',
  'label',
  'merge_group',
  'milestone',
  'page_build',
  'public',
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'push',
  'registry_package',
  'release',
  'repository_dispatch',
  'status',
  'watch',
  'workflow_dispatch',
  'workflow_run',
]);
/** Triggers whose payload is another event's. */
const ALIASES = { pull_request_target: 'pull_request' };

const MAX_DEPTH = 9;

/** Hand-reviewed classification by field name (last path segment), checked before the generic rules. */
function byName(name, parent, schema) {
  if (
    /^(user_view_type|temp_clone_token|role_name|mergeable_state|notification_setting|privacy|ldap_dn|client_id|check_suite_node_id|lexical_commit_sha|href|id|compare)$/.test(
      name,
    )
  )
    return 'fixed';
  if (name === 'path' && /^(workflow|workflow_run|\*)$/.test(parent)) return 'fixed';
  if (parent === 'sha' || parent === 'permissions' || parent === 'events') return 'fixed';
  if (name === 'username' || (name === 'name' && parent === 'pusher')) return 's';
  if (
    /^(node_id|sha|head_sha|base_sha|before|after|commit_id|commit_sha|original_commit_id|tree_id|merge_commit_sha|gravatar_id|color|checksum|digest)$/.test(
      name,
    )
  )
    return 'fixed';
  if (/(_at|_on)$/.test(name) || name === 'timestamp' || name === 'due_on') return 'fixed';
  if (name === 'login' || name === 'slug') return 's';
  if (
    (name === 'name' || name === 'full_name') &&
    /^(repository|repo|head\.repo|base\.repo|forkee|head_repository|source|template_repository)$/.test(parent)
  )
    return 's';
  if (name === 'email') return /commits|head_commit|commit\.(author|committer)/.test(parent) ? 'a' : 's';
  if (/^(homepage|blog|website_url|target_url|external_url|details_url)$/.test(name)) return 'a';
  if (/url$/.test(name) && schema && (schema.format === 'uri' || schema.format === 'uri-template' || schema.type === 'string'))
    return 'fixed';
  if (
    /^(type|state|state_reason|author_association|conclusion|status|action|event|visibility|role|permission|language|license|key|spdx_id|mode|default_branch|master_branch)$/.test(
      name,
    ) &&
    parent !== 'label'
  ) {
    // Enum-like or set by repository owners; `language`, `default_branch` are chosen by the owner, not by the event's author.
    return 'fixed';
  }
  return null;
}

function deref(schema) {
  let current = schema;
  for (let i = 0; i < 16 && current && current.$ref; i++)
    current = spec.components.schemas[current.$ref.replace('#/components/schemas/', '')];
  return current ?? {};
}

/** Collects leaf classifications into `fields` (path → 'a' | 's'), depth-first. */
function walk(schemaIn, path, fields, depth, seen) {
  const schema = deref(schemaIn);
  const ref = schemaIn && schemaIn.$ref;
  if (depth > MAX_DEPTH || (ref && seen.has(ref))) return;
  const nextSeen = ref ? new Set([...seen, ref]) : seen;
  const variants = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  for (const variant of variants) walk(variant, path, fields, depth + 1, nextSeen);
  const name = path[path.length - 1] ?? '';
  const parent = path
    .slice(-3, -1)
    .join('.')
    .replace(/^.*\.(?=head\.repo|base\.repo)/, '');
  const parentName = path.length >= 2 ? path[path.length - 2] : '';
  const types = [].concat(schema.type ?? []);
  if (schema.properties || types.includes('object') || schema.additionalProperties) {
    for (const [key, child] of Object.entries(schema.properties ?? {})) walk(child, [...path, key], fields, depth + 1, nextSeen);
    const open = schema.additionalProperties;
    if (open && open !== false && Object.keys(schema.properties ?? {}).length === 0) add(fields, [...path, '*'], 'a');
    else if (types.includes('object') && !schema.properties && !variants.length && path.length > 0 && !open) {
      // A free-form object with no declared properties (e.g. `client_payload`): anything inside.
      add(fields, [...path, '*'], 'a');
    }
    return;
  }
  if (types.includes('array') || schema.items) {
    walk(schema.items ?? {}, [...path, '*'], fields, depth + 1, nextSeen);
    return;
  }
  if (!types.includes('string') || schema.enum || schema.const !== undefined) return;
  if (schema.format === 'date-time' || schema.format === 'date') return;
  const named = byName(name, parentName === 'repo' ? `${path[path.length - 3]}.repo` : parentName, schema) ?? byName(name, parent, schema);
  if (named === 'fixed') return;
  if (named) return add(fields, path, named);
  if (schema.format === 'email' || schema.format === 'uri-template') return add(fields, path, 's');
  add(fields, path, 'a');
}

/** Fields set by the repository's owners, not by whoever causes the event. */
const OWNER_SET = /^(repository|organization|enterprise|installation)\./;

function add(fields, path, capability) {
  const key = path.join('.');
  if (OWNER_SET.test(key)) return;
  const previous = fields.get(key);
  if (previous === 'a') return;
  fields.set(key, capability);
}

const byEvent = new Map();
for (const [, item] of Object.entries(spec.webhooks)) {
  const post = item.post;
  const event = post?.['x-github']?.subcategory;
  if (!WORKFLOW_EVENTS.has(event)) continue;
  const fields = byEvent.get(event) ?? new Map();
  walk(post.requestBody.content['application/json'].schema, [], fields, 0, new Set());
  byEvent.set(event, fields);
}
// An open-object variant (`anyOf: [{...properties}, {additionalProperties}]`) must not shadow the declared
// fields: drop `x.*` when `x` has declared children.
for (const fields of byEvent.values()) {
  for (const key of [...fields.keys()]) {
    if (!key.endsWith('.*')) continue;
    const prefix = key.slice(0, -1);
    if ([...fields.keys()].some((other) => other !== key && other.startsWith(prefix))) fields.delete(key);
  }
}
// workflow_dispatch inputs are typed by the workflow (handled in contexts.ts); repository_dispatch's
// client_payload is free-form.
byEvent.get('workflow_dispatch')?.delete('inputs.*');
if (byEvent.has('repository_dispatch')) byEvent.get('repository_dispatch').set('client_payload.*', 'a');

const events = [...byEvent.keys()].sort();
let body = '';
let total = 0;
for (const event of events) {
  const fields = [...byEvent.get(event).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  total += fields.length;
  const arbitrary = fields.filter(([, c]) => c === 'a').map(([p]) => p);
  const structured = fields.filter(([, c]) => c === 's').map(([p]) => p);
  body += `  ${event}: {\n    a: ${JSON.stringify(arbitrary.join(' '))},\n    s: ${JSON.stringify(structured.join(' '))},\n  },\n`;
}
const text = `// GENERATED by scripts/generate-contexts.mjs from ${pkg.name}@${pkg.version} (MIT). Do not edit by hand.
// Per workflow trigger: the \`github.event.*\` fields (paths relative to \`github.event\`, \`*\` = any array
// index or key) whose value the person causing the event chooses. \`a\`: arbitrary text; \`s\`: structured
// (a login, a repository name, an e-mail address). Fields not listed are fixed (numbers, booleans, enums,
// SHAs, timestamps, ids, URLs built by GitHub). ${total} fields.

export const WEBHOOK_FIELDS: Readonly<Record<string, { readonly a: string; readonly s: string }>> = {
${body}};

export const WEBHOOK_ALIASES: Readonly<Record<string, string>> = ${JSON.stringify(ALIASES)};
`;
if (process.argv.includes('--check')) {
  const current = readFileSync(out, 'utf8');
  if (current !== text) {
    console.error('webhook-contexts.generated.ts is stale: run node scripts/generate-contexts.mjs');
    process.exit(1);
  }
  console.log('up to date');
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}: ${events.length} events, ${total} fields`);
}
