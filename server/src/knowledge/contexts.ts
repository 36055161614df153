/**
 * Where the value of an expression context comes from, and who chooses it. The `github.event.*` part is
 * generated from GitHub's webhook schema (webhook-contexts.generated.ts, scripts/generate-contexts.mjs);
 * everything else (the other `github.*` properties, `inputs`, `env`, `matrix`, `steps`, ...) is curated
 * here from GitHub Docs, "Contexts reference" and "Variables reference".
 */
import { triggerInfo } from './triggers';
import { WEBHOOK_ALIASES, WEBHOOK_FIELDS } from './webhook-contexts.generated';

/**
 * - arbitrary: any text (quotes, `$(...)`, newlines) chosen by whoever causes the event;
 * - structured: a constrained format that still carries someone's choice (logins, repository names);
 * - writer: arbitrary text, but only people with write access choose it (branch names on push, dispatch inputs);
 * - fixed: numbers, booleans, enums, SHAs, ids, URLs built by GitHub, values the workflow's authors wrote;
 * - unknown: nothing is known (an undeclared property, a value set at run time).
 */
export type Capability = 'arbitrary' | 'structured' | 'writer' | 'fixed' | 'unknown';

export interface ContextInfo {
  /** The normalized path (lowercase, array indexes as `*`). */
  path: string;
  capability: Capability;
  /** Where the value comes from, in a sentence fragment. */
  source: string;
  /** The workflow's triggers under which someone without write access chooses the value. */
  outsiderTriggers: string[];
}

/** Triggers that share the `pull_request` payload. */
const PR_TRIGGERS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

/** `github.*` properties other than `event`, from the Contexts reference. */
export const GITHUB_PROPERTIES: Record<string, { capability: Capability; source: string }> = {
  action: { capability: 'fixed', source: 'the id of the current step or action' },
  action_path: { capability: 'fixed', source: 'the directory of the running action on the runner' },
  action_ref: { capability: 'fixed', source: 'the ref of the running action' },
  action_repository: { capability: 'fixed', source: 'the owner and name of the running action' },
  action_status: { capability: 'fixed', source: "the composite action's result" },
  actor: { capability: 'structured', source: 'the login of the user or app that caused the run (letters, digits, `-` and `[bot]`)' },
  actor_id: { capability: 'fixed', source: 'the numeric id of the actor' },
  api_url: { capability: 'fixed', source: 'the REST API URL' },
  base_ref: { capability: 'writer', source: 'the target branch of the pull request, a branch of this repository' },
  env: { capability: 'fixed', source: "the path of the runner's GITHUB_ENV file" },
  event_name: { capability: 'fixed', source: 'the name of the trigger' },
  event_path: { capability: 'fixed', source: 'the path of the event payload file on the runner' },
  graphql_url: { capability: 'fixed', source: 'the GraphQL API URL' },
  head_ref: {
    capability: 'arbitrary',
    source: 'the source branch of the pull request, named by its author (a branch name may hold `$(...)`, quotes and backticks)',
  },
  job: { capability: 'fixed', source: 'the id of the current job' },
  output: { capability: 'fixed', source: 'the path of the GITHUB_OUTPUT file' },
  path: { capability: 'fixed', source: 'the path of the GITHUB_PATH file' },
  ref: {
    capability: 'writer',
    source: 'the ref that triggered the run (`refs/pull/N/merge` for pull requests; a branch or tag name pushed by a writer otherwise)',
  },
  ref_name: {
    capability: 'writer',
    source: 'the short name of the triggering ref (`N/merge` for pull requests; a branch or tag name pushed by a writer otherwise)',
  },
  ref_protected: { capability: 'fixed', source: 'whether the ref is protected' },
  ref_type: { capability: 'fixed', source: '`branch` or `tag`' },
  repository: { capability: 'fixed', source: "this repository's owner/name" },
  repository_id: { capability: 'fixed', source: "this repository's id" },
  repository_owner: { capability: 'fixed', source: "this repository's owner" },
  repository_owner_id: { capability: 'fixed', source: "the owner's id" },
  repositoryurl: { capability: 'fixed', source: "this repository's git URL" },
  retention_days: { capability: 'fixed', source: 'the artifact retention setting' },
  run_id: { capability: 'fixed', source: "the run's id" },
  run_number: { capability: 'fixed', source: "the run's number" },
  run_attempt: { capability: 'fixed', source: "the run's attempt number" },
  secret_source: { capability: 'fixed', source: 'where the secrets come from' },
  server_url: { capability: 'fixed', source: 'the GitHub server URL' },
  sha: { capability: 'fixed', source: 'the commit SHA that triggered the run' },
  state: { capability: 'fixed', source: 'the path of the GITHUB_STATE file' },
  step_summary: { capability: 'fixed', source: 'the path of the step summary file' },
  token: { capability: 'fixed', source: "the job's GITHUB_TOKEN (a secret: keep it out of scripts anyway)" },
  triggering_actor: { capability: 'structured', source: 'the login of the user who started or re-ran the run' },
  workflow: { capability: 'fixed', source: "the workflow's name, written in this file" },
  workflow_ref: { capability: 'fixed', source: "the workflow file's ref" },
  workflow_sha: { capability: 'fixed', source: "the workflow file's commit SHA" },
  workspace: { capability: 'fixed', source: 'the checkout directory on the runner' },
};

/** `github.*` properties the runner also exports as environment variables in every step. */
export const RUNNER_ENV: Readonly<Record<string, string>> = {
  'github.action': 'GITHUB_ACTION',
  'github.action_path': 'GITHUB_ACTION_PATH',
  'github.actor': 'GITHUB_ACTOR',
  'github.actor_id': 'GITHUB_ACTOR_ID',
  'github.api_url': 'GITHUB_API_URL',
  'github.base_ref': 'GITHUB_BASE_REF',
  'github.event_name': 'GITHUB_EVENT_NAME',
  'github.event_path': 'GITHUB_EVENT_PATH',
  'github.graphql_url': 'GITHUB_GRAPHQL_URL',
  'github.head_ref': 'GITHUB_HEAD_REF',
  'github.job': 'GITHUB_JOB',
  'github.ref': 'GITHUB_REF',
  'github.ref_name': 'GITHUB_REF_NAME',
  'github.ref_type': 'GITHUB_REF_TYPE',
  'github.repository': 'GITHUB_REPOSITORY',
  'github.repository_owner': 'GITHUB_REPOSITORY_OWNER',
  'github.run_attempt': 'GITHUB_RUN_ATTEMPT',
  'github.run_id': 'GITHUB_RUN_ID',
  'github.run_number': 'GITHUB_RUN_NUMBER',
  'github.server_url': 'GITHUB_SERVER_URL',
  'github.sha': 'GITHUB_SHA',
  'github.triggering_actor': 'GITHUB_TRIGGERING_ACTOR',
  'github.workflow': 'GITHUB_WORKFLOW',
  'github.workflow_ref': 'GITHUB_WORKFLOW_REF',
  'github.workspace': 'GITHUB_WORKSPACE',
};

/** Curated exceptions to the generated table (paths relative to `github.event`). */
const EVENT_OVERRIDES: { pattern: RegExp; capability: Capability; source: string }[] = [
  { pattern: /(^|\.)(base|head)\.sha$|^(before|after)$|(^|\.)head_sha$/, capability: 'fixed', source: 'a commit SHA' },
  {
    pattern: /^pull_request\.base\.(ref|label)$|^workflow_run\.pull_requests\.\*\.base\.ref$/,
    capability: 'writer',
    source: 'the target branch, a branch of this repository',
  },
  { pattern: /(^|\.)number$|(^|\.)id$/, capability: 'fixed', source: 'a number' },
];

/** Human names of payload objects, for messages. */
const OBJECT_NAMES: [RegExp, string][] = [
  [/^pull_request\.title$/, 'the pull request title'],
  [/^pull_request\.body$/, 'the pull request description'],
  [/^pull_request\.head\.ref$/, "the pull request's source branch name"],
  [/^pull_request\.head\.label$/, "the pull request's `owner:branch` label"],
  [/^issue\.title$/, 'the issue title'],
  [/^issue\.body$/, 'the issue body'],
  [/^comment\.body$/, 'the comment text'],
  [/^review\.body$/, 'the review text'],
  [/^discussion\.title$/, 'the discussion title'],
  [/^discussion\.body$/, 'the discussion body'],
  [/commits\.\*\.message$|head_commit\.message$/, 'a commit message'],
  [/(author|committer)\.(name|email)$/, 'a commit author field (git does not validate it)'],
  [/^workflow_run\.head_branch$/, "the branch of the triggering run (a fork's branch name)"],
  [/^workflow_run\.display_title$/, 'the title of the triggering run (a pull request title or commit message)'],
  [/labels?\.(\*\.)?name$/, 'a label name'],
  [/^client_payload\./, 'the `client_payload` chosen by whoever calls the dispatch API'],
];

function describeEventField(field: string, capability: Capability): string {
  for (const [pattern, name] of OBJECT_NAMES) if (pattern.test(field)) return name;
  if (capability === 'structured') return 'a login, repository name or e-mail address from the event';
  if (capability === 'arbitrary') return 'free text from the event payload';
  return 'a value of the event payload';
}

interface FieldSets {
  arbitrary: Set<string>;
  structured: Set<string>;
  /** Every proper prefix of a listed path (an object that contains text). */
  prefixes: Set<string>;
}

const fieldCache = new Map<string, FieldSets | null>();

function fieldsOf(event: string): FieldSets | null {
  if (fieldCache.has(event)) return fieldCache.get(event)!;
  const entry = Object.prototype.hasOwnProperty.call(WEBHOOK_FIELDS, event) ? WEBHOOK_FIELDS[event] : null;
  let sets: FieldSets | null = null;
  if (entry) {
    const split = (s: string) => new Set(s ? s.split(' ') : []);
    sets = { arbitrary: split(entry.a), structured: split(entry.s), prefixes: new Set() };
    for (const path of [...sets.arbitrary, ...sets.structured]) {
      const parts = path.split('.');
      for (let i = 1; i < parts.length; i++) sets.prefixes.add(parts.slice(0, i).join('.'));
    }
  }
  fieldCache.set(event, sets);
  return sets;
}

/** Every path pattern that a concrete path matches (`a.*.b` patterns, trailing `.*` for open objects). */
function matches(set: Set<string>, field: string): boolean {
  if (set.has(field)) return true;
  const parts = field.split('.');
  for (let i = parts.length - 1; i >= 1; i--) if (set.has(`${parts.slice(0, i).join('.')}.*`)) return true;
  return false;
}

/** Capability of `github.event.<field>` under one trigger; null when the payload does not have the field. */
function eventFieldUnder(trigger: string, field: string): Capability | null {
  const event = Object.prototype.hasOwnProperty.call(WEBHOOK_ALIASES, trigger) ? WEBHOOK_ALIASES[trigger] : trigger;
  const sets = fieldsOf(event);
  if (!sets) return trigger === 'workflow_call' ? 'unknown' : null;
  if (field === '') return 'arbitrary';
  if (matches(sets.arbitrary, field)) return 'arbitrary';
  if (matches(sets.structured, field)) return 'structured';
  if (sets.prefixes.has(field) || field.endsWith('.*')) return 'arbitrary';
  return 'fixed';
}

const RANK: Record<Capability, number> = { fixed: 0, unknown: 1, structured: 2, writer: 3, arbitrary: 4 };

/**
 * Contexts that are the same value under two spellings: the `github.*` property GitHub derives from the
 * event payload, and the payload field itself. A finding's severity follows the value, so the payload
 * spelling is judged as its `github.*` twin. Source: GitHub Docs, "Contexts reference" (`github.base_ref`,
 * `github.head_ref`: "the base_ref or target branch / head_ref or source branch of the pull request in a
 * workflow run", set only for `pull_request` and `pull_request_target`; `github.ref` for `push`: the
 * pushed ref) and the webhook payloads of those events.
 */
export const CONTEXT_ALIASES: Readonly<Record<string, string>> = {
  'github.event.pull_request.base.ref': 'github.base_ref',
  'github.event.pull_request.head.ref': 'github.head_ref',
  'github.event.ref': 'github.ref',
};

/** The `github.*` spelling of a normalized path that has one (CONTEXT_ALIASES); the path itself otherwise. */
export function canonicalContextPath(path: string): string {
  return Object.hasOwn(CONTEXT_ALIASES, path) ? CONTEXT_ALIASES[path] : path;
}

/** Normalizes a dotted context path: lowercase, numeric indexes as `*`. */
export function normalizeContextPath(path: string): string {
  return path
    .toLowerCase()
    .split('.')
    .map((segment) => (/^\d+$/.test(segment) ? '*' : segment))
    .join('.');
}

/**
 * Classifies a `github.*` context path under a set of triggers (null: not known, e.g. in an action, or a
 * reusable workflow whose `github.event` is its caller's).
 */
export function classifyGithubContext(rawPath: string, triggers: readonly string[] | null): ContextInfo {
  const path = normalizeContextPath(rawPath);
  const parts = path.split('.');
  const property = parts[1] ?? '';
  if (parts.length === 1)
    return {
      path,
      capability: 'arbitrary',
      source: 'the whole `github` context, including the event payload',
      outsiderTriggers: outsiders(triggers, () => true),
    };
  if (property !== 'event') {
    const known = GITHUB_PROPERTIES[property];
    if (!known) return { path, capability: 'unknown', source: `\`github.${property}\` is not a documented property`, outsiderTriggers: [] };
    if (property === 'head_ref') {
      const applies = triggers === null || triggers.some((t) => PR_TRIGGERS.has(t) || t === 'workflow_call');
      return applies
        ? { path, capability: 'arbitrary', source: known.source, outsiderTriggers: outsiders(triggers, (t) => PR_TRIGGERS.has(t)) }
        : { path, capability: 'fixed', source: 'empty: the workflow has no pull request trigger', outsiderTriggers: [] };
    }
    return {
      path,
      capability: known.capability,
      source: known.source,
      outsiderTriggers: known.capability === 'structured' ? outsiders(triggers, () => true) : [],
    };
  }
  const field = parts.slice(2).join('.');
  for (const override of EVENT_OVERRIDES) {
    if (override.pattern.test(field)) return { path, capability: override.capability, source: override.source, outsiderTriggers: [] };
  }
  const candidates = triggers ?? Object.keys(WEBHOOK_FIELDS).concat('pull_request_target');
  let best: Capability | null = null;
  const outsider: string[] = [];
  for (const trigger of candidates) {
    let capability = eventFieldUnder(trigger, field);
    if (capability === null) continue;
    // Text that outsiders write but only writers can put in this payload (dispatch payloads, pushes).
    const info = triggerInfo(trigger);
    if (capability === 'arbitrary' && info && !info.outsiderCanFire) {
      // A merged pull request's title, body and commits reach `push` payloads as commit messages.
      const mergedText = trigger === 'push' && /commits\.\*\.|head_commit\./.test(field);
      if (!mergedText) capability = 'writer';
    }
    if ((capability === 'arbitrary' || capability === 'structured') && (info?.outsiderCanFire || trigger === 'push'))
      outsider.push(trigger);
    if (best === null || RANK[capability] > RANK[best]) best = capability;
  }
  if (best === null) {
    return {
      path,
      capability: 'fixed',
      source: `absent from the payload of ${triggers && triggers.length ? triggers.map((t) => `\`${t}\``).join(', ') : "this workflow's triggers"}`,
      outsiderTriggers: [],
    };
  }
  return { path, capability: best, source: describeEventField(field, best), outsiderTriggers: outsider };
}

function outsiders(triggers: readonly string[] | null, applies: (trigger: string) => boolean): string[] {
  if (triggers === null) return [];
  return triggers.filter((t) => applies(t) && triggerInfo(t)?.outsiderCanFire);
}

/** Input types whose values cannot carry text (the `choice` options are written by the workflow's authors). */
export const SAFE_INPUT_TYPES = new Set(['boolean', 'number', 'choice', 'environment']);

/** Contexts whose values never carry text anyone chooses. */
export function isInertContext(path: string): boolean {
  const p = normalizeContextPath(path);
  return (
    /^(runner|job|strategy)(\.|$)/.test(p) ||
    /^steps\.[^.]+\.(outcome|conclusion)$/.test(p) ||
    /^needs\.[^.]+\.result$/.test(p) ||
    /^jobs\.[^.]+\.result$/.test(p)
  );
}
