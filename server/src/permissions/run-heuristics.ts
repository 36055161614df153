/**
 * What a `run:` script does with the job token, read from its text: `gh` subcommands, `gh api` calls with
 * their method and endpoint, `git push` and the tools that push for you, OIDC publishing, SARIF uploads,
 * registry logins. Pure string work, no shell parser: commands are split on line breaks and `;`, `&&`,
 * `||`, `|`, with `\` continuations joined and `#` comments dropped.
 */
import type { Level } from '../knowledge/action-permissions';
import { cutFromFirst } from '../parse/strings';

export interface RunNeed {
  /** A scope, or `comment` (pull-requests on PR workflows, else issues). */
  scope: string;
  level: Level;
  /** The command, as shown in the fix's comment: `gh pr comment`, `git push`, `uv publish`. */
  what: string;
  /** Whether the need exists only when the command runs with the job token (false for OIDC). */
  viaToken: boolean;
}

export interface RunAnalysis {
  needs: RunNeed[];
  /** Commands that use the token in ways the heuristics cannot tell (`gh api graphql`, `gh api` with an unknown path). */
  unknowns: string[];
  /** True when some command of the script is one that reads GH_TOKEN/GITHUB_TOKEN (gh, goreleaser, ...). */
  usesTokenCommand: boolean;
}

/** Splits a script into simple commands (word lists are left to callers). */
export function splitCommands(script: string): string[] {
  const joined = script.replace(/\\\r?\n/g, ' ');
  const commands: string[] = [];
  for (const rawLine of joined.split(/\r?\n/)) {
    const line = withoutComment(rawLine);
    for (const part of line.split(/;|&&|\|\||\|/)) {
      const trimmed = part.trim();
      if (trimmed) commands.push(trimmed);
    }
  }
  return commands;
}

/**
 * The line without its comment: cut before the first `#` that starts the line or follows white space, as
 * `line.replace(/(^|\s)#.*$/, '')` did (which retried from every blank: quadratic on `' #'` repeated).
 */
export function withoutComment(line: string): string {
  let lastBreak = 0;
  for (let i = line.length - 1; i >= 0; i--) {
    if (line[i] === '\r' || line[i] === '\u2028' || line[i] === '\u2029') {
      lastBreak = i + 1;
      break;
    }
  }
  for (let i = line.indexOf('#', lastBreak); i !== -1; i = line.indexOf('#', i + 1)) {
    if (i === 0) return '';
    if (/\s/.test(line[i - 1])) return line.slice(0, i - 1);
  }
  return line;
}

/** Words of a command, with simple quotes removed. */
function words(command: string): string[] {
  const found: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) found.push(m[1] ?? m[2] ?? m[3]);
  return found;
}

const GH_SUBCOMMANDS: Record<string, Record<string, [string, Level][] | 'none'>> = {
  pr: {
    comment: [['pull-requests', 'write']],
    create: [['pull-requests', 'write']],
    edit: [['pull-requests', 'write']],
    review: [['pull-requests', 'write']],
    close: [['pull-requests', 'write']],
    reopen: [['pull-requests', 'write']],
    ready: [['pull-requests', 'write']],
    lock: [['pull-requests', 'write']],
    unlock: [['pull-requests', 'write']],
    merge: [
      ['contents', 'write'],
      ['pull-requests', 'write'],
    ],
    'update-branch': [
      ['contents', 'write'],
      ['pull-requests', 'write'],
    ],
    checkout: [
      ['contents', 'read'],
      ['pull-requests', 'read'],
    ],
    view: [['pull-requests', 'read']],
    list: [['pull-requests', 'read']],
    diff: [['pull-requests', 'read']],
    checks: [
      ['pull-requests', 'read'],
      ['checks', 'read'],
    ],
    status: [['pull-requests', 'read']],
  },
  issue: {
    create: [['issues', 'write']],
    comment: [['issues', 'write']],
    edit: [['issues', 'write']],
    close: [['issues', 'write']],
    reopen: [['issues', 'write']],
    lock: [['issues', 'write']],
    unlock: [['issues', 'write']],
    delete: [['issues', 'write']],
    pin: [['issues', 'write']],
    unpin: [['issues', 'write']],
    transfer: [['issues', 'write']],
    develop: [
      ['issues', 'write'],
      ['contents', 'write'],
    ],
    view: [['issues', 'read']],
    list: [['issues', 'read']],
    status: [['issues', 'read']],
  },
  label: {
    create: [['issues', 'write']],
    edit: [['issues', 'write']],
    delete: [['issues', 'write']],
    clone: [['issues', 'write']],
    list: [['issues', 'read']],
  },
  release: {
    create: [['contents', 'write']],
    upload: [['contents', 'write']],
    edit: [['contents', 'write']],
    delete: [['contents', 'write']],
    'delete-asset': [['contents', 'write']],
    view: [['contents', 'read']],
    list: [['contents', 'read']],
    download: [['contents', 'read']],
    verify: [
      ['contents', 'read'],
      ['attestations', 'read'],
    ],
  },
  workflow: {
    run: [['actions', 'write']],
    enable: [['actions', 'write']],
    disable: [['actions', 'write']],
    view: [['actions', 'read']],
    list: [['actions', 'read']],
  },
  run: {
    rerun: [['actions', 'write']],
    cancel: [['actions', 'write']],
    delete: [['actions', 'write']],
    view: [['actions', 'read']],
    list: [['actions', 'read']],
    watch: [['actions', 'read']],
    download: [['actions', 'read']],
  },
  cache: { delete: [['actions', 'write']], list: [['actions', 'read']] },
  repo: { clone: [['contents', 'read']], view: [['contents', 'read']], sync: [['contents', 'write']] },
  // Secrets, variables and rulesets are beyond the job token; auth/extension/search need no scope.
  secret: {},
  variable: {},
  auth: {},
  extension: {},
  search: {},
  browse: {},
  attestation: { verify: [['attestations', 'read']] },
};

/** REST path segment after `repos/{owner}/{repo}/` → scope. */
const API_SEGMENTS: Record<string, string> = {
  issues: 'issues',
  labels: 'issues',
  milestones: 'issues',
  pulls: 'pull-requests',
  releases: 'contents',
  git: 'contents',
  contents: 'contents',
  commits: 'contents',
  branches: 'contents',
  tags: 'contents',
  compare: 'contents',
  merges: 'contents',
  dispatches: 'contents',
  'dependency-graph': 'contents',
  actions: 'actions',
  'check-runs': 'checks',
  'check-suites': 'checks',
  statuses: 'statuses',
  deployments: 'deployments',
  environments: 'deployments',
  pages: 'pages',
  'code-scanning': 'security-events',
  'secret-scanning': 'security-events',
  discussions: 'discussions',
  attestations: 'attestations',
};

/** Scope and level of a `gh api` call, or a reason it is unknown, or null when it needs nothing of this repository. */
export function ghApiNeed(args: string[]): { scope: string; level: Level; path: string } | { unknown: string } | null {
  let method: string | null = null;
  let hasFields = false;
  let path: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-X' || arg === '--method') method = (args[++i] ?? '').toUpperCase();
    else if (arg.startsWith('--method=')) method = arg.slice('--method='.length).toUpperCase();
    else if (/^-X[A-Za-z]+$/.test(arg)) method = arg.slice(2).toUpperCase();
    else if (/^(-f|-F|--field|--raw-field|--input)$/.test(arg)) {
      hasFields = true;
      i++;
    } else if (/^(--field|--raw-field|--input)=/.test(arg)) hasFields = true;
    else if (/^(-H|--header|-q|--jq|-t|--template|--hostname|--cache|-p|--preview)$/.test(arg)) i++;
    else if (!arg.startsWith('-') && path === null) path = arg;
  }
  if (!path) return { unknown: '`gh api` without a readable endpoint' };
  const write = method ? method !== 'GET' && method !== 'HEAD' : hasFields;
  if (/^\/?graphql\b/.test(path)) return { unknown: '`gh api graphql` (the query decides the scopes)' };
  const clean = cutFromFirst(path.replace(/^https?:\/\/[^/]+/, '').replace(/^\/+/, ''), '?');
  const segments = clean.split('/');
  if (segments[0] !== 'repos') {
    if (segments[0] === 'user' || segments[0] === 'orgs' || segments[0] === 'users') {
      if (segments.includes('packages')) return { scope: 'packages', level: write ? 'write' : 'read', path };
    }
    return write ? { unknown: `\`gh api ${path}\` (${method ?? 'POST'})` } : null;
  }
  // `repos/$GITHUB_REPOSITORY/...` and `repos/${{ github.repository }}/...` name owner and repo in one segment.
  const oneSegment = /^(\$\{?GITHUB_REPOSITORY\}?|\$\{\{\s*github\.repository\s*\}\})$/.test(segments[1] ?? '');
  const rest = segments.slice(oneSegment ? 2 : 3);
  if (rest.length === 0)
    return write ? { unknown: `\`gh api ${path}\` (${method ?? 'POST'})` } : { scope: 'contents', level: 'read', path };
  // Commit statuses live under commits/{sha}/status(es).
  if (rest[0] === 'commits' && (rest[2] === 'statuses' || rest[2] === 'status'))
    return { scope: 'statuses', level: write ? 'write' : 'read', path };
  if (rest[0] === 'commits' && rest[2] === 'check-runs') return { scope: 'checks', level: 'read', path };
  const scope = API_SEGMENTS[rest[0].replace(/\$.*/, '')];
  if (!scope) return { unknown: `\`gh api ${path}\`` };
  // Comments and labels on pull requests go through the issues API.
  if (scope === 'issues' && rest[0] === 'issues' && write && (rest[2] === 'comments' || rest[2] === 'labels' || rest[2] === 'reactions'))
    return { scope: 'comment', level: 'write', path };
  return { scope, level: write ? 'write' : 'read', path };
}

function commandWord(list: string[]): { name: string; index: number } | null {
  let i = 0;
  // Skip `VAR=value` assignments, `env`, `sudo`, `exec`, `time`, `command`.
  while (
    i < list.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(list[i]) || /^(env|sudo|exec|time|command|xargs|nohup|then|do|else|\(|\{|!)$/.test(list[i]))
  )
    i++;
  if (i >= list.length) return null;
  const name = list[i].replace(/^\$\(/, '').replace(/^.*\//, '');
  return { name, index: i };
}

export interface RunContext {
  /** Names of env variables (in scope for the step) that carry the job token. */
  jobTokenEnv: ReadonlySet<string>;
  /** Names of env variables in scope at all. */
  env: ReadonlySet<string>;
}

/**
 * Every command name the loop below acts on, as a word: a script (or command) without any of them needs no
 * splitting into words. A necessary condition only (the loop still checks the command word itself).
 */
const INTERESTING =
  /(^|[^A-Za-z0-9_-])(gh|git|mkdocs|ghp-import|gh-pages|goreleaser|semantic-release|codeql|uv|npm|pnpm|yarn|npx|maturin|cosign|docker)(?![A-Za-z0-9_])/;

/** Analyses a script. Needs via the token are reported whatever the token; callers decide whether the token is the job's. */
export function analyzeRun(script: string, context: RunContext): RunAnalysis {
  const needs: RunNeed[] = [];
  const unknowns: string[] = [];
  let usesTokenCommand = false;
  const add = (scope: string, level: Level, what: string, viaToken = true) => needs.push({ scope, level, what, viaToken });
  for (const command of INTERESTING.test(script) ? splitCommands(script) : []) {
    if (!INTERESTING.test(command)) continue;
    const list = words(command);
    const head = commandWord(list);
    if (!head) continue;
    const args = list.slice(head.index + 1);
    const name = head.name;
    if (name === 'gh') {
      usesTokenCommand = true;
      const group = args[0];
      if (group === 'api') {
        const need = ghApiNeed(args.slice(1));
        if (need && 'unknown' in need) unknowns.push(need.unknown);
        else if (need) add(need.scope, need.level, `gh api ${need.path.length > 40 ? `${need.path.slice(0, 40)}…` : need.path}`);
        continue;
      }
      const table = group ? GH_SUBCOMMANDS[group] : undefined;
      const sub = args.find((arg, index) => index > 0 && !arg.startsWith('-'));
      const scopes = table && sub ? table[sub] : undefined;
      if (scopes && scopes !== 'none') for (const [scope, level] of scopes) add(scope, level, `gh ${group} ${sub}`);
      continue;
    }
    if (name === 'git' && args.includes('push')) {
      add('contents', 'write', 'git push');
      continue;
    }
    if (
      (name === 'mkdocs' && args[0] === 'gh-deploy') ||
      (name === 'ghp-import' && args.some((a) => a === '-p' || a === '--push')) ||
      name === 'gh-pages' ||
      (/^(npx|pnpm|yarn)$/.test(name) && args[0] === 'gh-pages')
    ) {
      add('contents', 'write', name === 'mkdocs' ? 'mkdocs gh-deploy' : name === 'ghp-import' ? 'ghp-import --push' : 'gh-pages');
      continue;
    }
    if (name === 'goreleaser' && (args.includes('release') || args.length === 0 || args[0].startsWith('-'))) {
      usesTokenCommand = true;
      add('contents', 'write', 'goreleaser release');
      continue;
    }
    if (name === 'semantic-release' || ((name === 'npx' || name === 'pnpm' || name === 'yarn') && args[0] === 'semantic-release')) {
      usesTokenCommand = true;
      add('contents', 'write', 'semantic-release');
      add('issues', 'write', 'semantic-release');
      add('pull-requests', 'write', 'semantic-release');
      continue;
    }
    if (name === 'codeql' && args[0] === 'github' && args[1] === 'upload-results') {
      usesTokenCommand = true;
      add('security-events', 'write', 'codeql github upload-results');
      continue;
    }
    // OIDC: trusted publishing, keyless signing.
    if (name === 'uv' && args[0] === 'publish') {
      const explicit =
        args.some((a) => /^(--token|-t|--password|-p|--username|-u)(=|$)/.test(a) || a === '--trusted-publishing=never') ||
        /--trusted-publishing\s+never/.test(command);
      if (!explicit && !context.env.has('UV_PUBLISH_TOKEN') && !context.env.has('UV_PUBLISH_PASSWORD'))
        add('id-token', 'write', 'uv publish (trusted publishing)', false);
      continue;
    }
    if ((name === 'npm' || name === 'pnpm' || name === 'yarn') && (args[0] === 'publish' || (args[0] === 'npm' && args[1] === 'publish'))) {
      const provenance = args.includes('--provenance') || context.env.has('NPM_CONFIG_PROVENANCE');
      const hasToken = context.env.has('NODE_AUTH_TOKEN') || context.env.has('NPM_TOKEN') || context.env.has('NPM_AUTH_TOKEN');
      if (provenance || !hasToken)
        add('id-token', 'write', `${name} publish${provenance ? ' --provenance' : ' (trusted publishing)'}`, false);
      continue;
    }
    if (name === 'maturin' && (args[0] === 'upload' || args[0] === 'publish')) {
      const explicit =
        args.some((a) => /^(--password|-p|--username|-u)(=|$)/.test(a)) ||
        context.env.has('MATURIN_PYPI_TOKEN') ||
        context.env.has('MATURIN_PASSWORD');
      if (!explicit) add('id-token', 'write', `maturin ${args[0]} (trusted publishing)`, false);
      continue;
    }
    if (name === 'cosign' && /^(sign|attest|sign-blob|attest-blob)$/.test(args[0] ?? '') && !args.some((a) => /^--key(=|$)/.test(a))) {
      add('id-token', 'write', `cosign ${args[0]} (keyless)`, false);
      continue;
    }
    if (name === 'docker' && args[0] === 'login' && args.some((a) => /^ghcr\.io/.test(a))) {
      usesTokenCommand = true;
      add('packages', 'write', 'docker login ghcr.io');
      continue;
    }
  }
  if (/ACTIONS_ID_TOKEN_REQUEST_(URL|TOKEN)/.test(script) && !needs.some((need) => need.scope === 'id-token'))
    add('id-token', 'write', 'requests an OIDC token', false);
  return { needs, unknowns, usesTokenCommand };
}

/** True when the script reads one of the environment variables by name (`$GH_TOKEN`, `${GITHUB_TOKEN}`, `process.env.X`). */
export function scriptReadsVariable(script: string, names: Iterable<string>): boolean {
  const reads = variableReads(script);
  for (const name of names) if (reads.has(name)) return true;
  return false;
}

interface VariableReads {
  has(name: string): boolean;
}

const isWordChar = (ch: string | undefined) =>
  ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_');
const WORD_NAME = /^[A-Za-z0-9_]+$/;

let lastScript: string | null = null;
let lastReads: VariableReads | null = null;

/**
 * The names a script reads, found in one pass (never a regular expression built from a name, which an `env:`
 * key could fill with backtracking or change the meaning of): the whole word after `$`, `${`, `env.` and
 * `$env:`, and the start of the key in `environ["…"]` and `getenv("…")`, where a name is read when it begins
 * the key. The last script's answer is kept (one step asks several times).
 */
function variableReads(script: string): VariableReads {
  if (script === lastScript && lastReads) return lastReads;
  const words = new Set<string>();
  const keys: string[] = [];
  const wordAt = (start: number) => {
    let end = start;
    while (isWordChar(script[end])) end++;
    if (end > start) words.add(script.slice(start, end));
  };
  const keyAt = (start: number) => {
    const quote = script[start];
    if (quote !== '"' && quote !== "'") return;
    let end = start + 1;
    while (end < script.length && script[end] !== quote && script[end] !== '\n') end++;
    if (end > start + 1) keys.push(script.slice(start + 1, end));
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (ch === '$') {
      wordAt(script[i + 1] === '{' ? i + 2 : i + 1);
      if (script.startsWith('$env:', i)) wordAt(i + 5);
    } else if (ch === 'e') {
      if (script.startsWith('env.', i)) wordAt(i + 4);
      else if (script.startsWith('environ[', i)) keyAt(i + 8);
    } else if (ch === 'g' && script.startsWith('getenv(', i)) keyAt(i + 7);
  }
  keys.sort();
  const reads: VariableReads = {
    has(name) {
      if (name === '') return false;
      if (WORD_NAME.test(name) && words.has(name)) return true;
      // The first key not sorting before the name is the one that would begin with it.
      let low = 0;
      let high = keys.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (keys[middle] < name) low = middle + 1;
        else high = middle;
      }
      return low < keys.length && keys[low].startsWith(name);
    },
  };
  lastScript = script;
  lastReads = reads;
  return reads;
}
