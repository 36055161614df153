/**
 * Command-line arguments of `actions-warden`. Parsing is pure: it returns options or a usage error and
 * never touches the process, so it can be tested directly. No dependency: the grammar is small.
 *
 *   actions-warden [options] [paths or owner/repo[@ref]...]
 *
 * Options take their value as the next argument or after `=` (`--format json`, `--format=json`).
 * `--` ends the options; `-` as a path means standard input (read as a workflow).
 */
import { displayUrl, hasUrlCredentials } from '../../../shared/src/github-hosts';
import { CONFIDENCES, PERSONAS, SEVERITIES, type Confidence, type Persona, type Severity } from '../../../shared/src/settings';
import { TOOL_NAME } from '../version';
import { editDistance } from '../parse/edit-distance';
import { isValidRepoName } from '../resolve/types';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export const FIX_MODES = ['safe', 'all'] as const;
/** `default`: what `.gitignore` files leave; `all`: every file found (still never node_modules or .git). */
export const COLLECT_MODES = ['default', 'all'] as const;
/** `default`: 0 / 1 / 2; `severity`: 11–14 by the highest severity shown (zizmor's convention). */
export const EXIT_CODE_MODES = ['default', 'severity'] as const;
export type FixMode = (typeof FIX_MODES)[number];
export type OutputFormat = (typeof FORMATS)[number];
export type CollectMode = (typeof COLLECT_MODES)[number];
export type ExitCodeMode = (typeof EXIT_CODE_MODES)[number];

export interface CliOptions {
  /** Paths as given; empty means the current directory. `-` is standard input. */
  paths: string[];
  /**
   * How many of `paths` came before `--`. Only those may name a repository (`owner/repo[@ref]`); what
   * follows `--` is always a path, so a wrapper that passes untrusted names there (the GitHub Action, the
   * pre-commit hook) never makes the CLI fetch a repository.
   */
  pathsBeforeDashDash: number;
  format: OutputFormat;
  persona: Persona;
  minSeverity: Severity;
  minConfidence: Confidence;
  offline: boolean;
  /** `--online`: go online even without a token or a host flag (`--offline` wins). */
  online: boolean;
  /** `--no-follow-dependencies`: online, do not read the actions the workflows depend on (default: follow). */
  followDependencies?: boolean;
  /** `--collect`: whether folders are searched with their `.gitignore` files respected. */
  collect: CollectMode;
  /** `--no-ignores`: report what inline ignore comments and `rules.<id>.ignore` would hide. */
  noIgnores: boolean;
  /** `--cache-dir`: where online resolutions are cached (default: the XDG cache folder). */
  cacheDir?: string;
  /** `--exit-codes`. */
  exitCodes: ExitCodeMode;
  /** `--org OWNER` (repeatable): scan every repository of these organisations or users. */
  orgs: string[];
  /** `--include-forks`: with --org, scan forks too. */
  includeForks: boolean;
  /** `--sarif-dir DIR`: also write one SARIF file per scanned repository into DIR. */
  sarifDir?: string;
  /** Options given on the command line (they win over the configuration file): persona, minSeverity, minConfidence. */
  explicit: string[];
  /** `--config FILE`: one configuration for every input (no discovery). */
  config?: string;
  /** `--no-config`: no configuration file at all. */
  noConfig: boolean;
  /** `--fix[=safe|all]`. */
  fix?: FixMode;
  /** `--dry-run`: with --fix, print a unified diff instead of writing. */
  dryRun: boolean;
  /** `--no-code-frame`: never print the source excerpt under a finding in text output. */
  codeFrame: boolean;
  githubServerUrl?: string;
  githubApiUrl?: string;
  /** False when `--no-color` was given; colour is used only when this holds and the output is a terminal. */
  color: boolean;
  /** `--color`: colour even when the output is not a terminal. */
  forceColor: boolean;
  help: boolean;
  version: boolean;
}

export const DEFAULT_CLI_OPTIONS: CliOptions = {
  paths: [],
  pathsBeforeDashDash: 0,
  format: 'text',
  persona: 'regular',
  minSeverity: 'informational',
  minConfidence: 'low',
  offline: false,
  online: false,
  collect: 'default',
  noIgnores: false,
  exitCodes: 'default',
  orgs: [],
  includeForks: false,
  explicit: [],
  noConfig: false,
  dryRun: false,
  codeFrame: true,
  color: true,
  forceColor: false,
  help: false,
  version: false,
};

export type ParseResult = { ok: true; options: CliOptions } | { ok: false; error: string };

type ValueOption =
  | 'format'
  | 'persona'
  | 'minSeverity'
  | 'minConfidence'
  | 'config'
  | 'githubServerUrl'
  | 'githubApiUrl'
  | 'collect'
  | 'cacheDir'
  | 'exitCodes'
  | 'org'
  | 'sarifDir';

/** `allowed: null` takes any non-empty value (a path, a URL). */
const VALUE_OPTIONS: Record<string, { key: ValueOption; allowed: readonly string[] | null }> = {
  '--format': { key: 'format', allowed: FORMATS },
  '-f': { key: 'format', allowed: FORMATS },
  '--persona': { key: 'persona', allowed: PERSONAS },
  '--min-severity': { key: 'minSeverity', allowed: SEVERITIES },
  '--min-confidence': { key: 'minConfidence', allowed: CONFIDENCES },
  '--config': { key: 'config', allowed: null },
  '--github-server-url': { key: 'githubServerUrl', allowed: null },
  '--github-api-url': { key: 'githubApiUrl', allowed: null },
  '--collect': { key: 'collect', allowed: COLLECT_MODES },
  '--cache-dir': { key: 'cacheDir', allowed: null },
  '--exit-codes': { key: 'exitCodes', allowed: EXIT_CODE_MODES },
  '--org': { key: 'org', allowed: null },
  '--sarif-dir': { key: 'sarifDir', allowed: null },
};

const FLAG_OPTIONS: Record<string, (options: CliOptions) => void> = {
  '--offline': (options) => {
    options.offline = true;
  },
  '--online': (options) => {
    options.online = true;
  },
  '--no-follow-dependencies': (options) => {
    options.followDependencies = false;
  },
  '--no-ignores': (options) => {
    options.noIgnores = true;
  },
  '--no-config': (options) => {
    options.noConfig = true;
  },
  '--include-forks': (options) => {
    options.includeForks = true;
  },
  '--dry-run': (options) => {
    options.dryRun = true;
  },
  '--no-code-frame': (options) => {
    options.codeFrame = false;
  },
  '--no-color': (options) => {
    options.color = false;
    options.forceColor = false;
  },
  '--color': (options) => {
    options.color = true;
    options.forceColor = true;
  },
  '--help': (options) => {
    options.help = true;
  },
  '-h': (options) => {
    options.help = true;
  },
  '--version': (options) => {
    options.version = true;
  },
  '-V': (options) => {
    options.version = true;
  },
};

export function parseArgs(argv: readonly string[]): ParseResult {
  const options: CliOptions = { ...DEFAULT_CLI_OPTIONS, paths: [], orgs: [], explicit: [] };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) {
      if (arg === '') return { ok: false, error: 'empty path argument' };
      options.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      if (!onlyPaths) options.pathsBeforeDashDash = options.paths.length;
      onlyPaths = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (name === '--fix') {
      const mode = eq === -1 ? 'safe' : arg.slice(eq + 1);
      if (!(FIX_MODES as readonly string[]).includes(mode))
        return { ok: false, error: `invalid value '${mode}' for --fix: expected one of ${FIX_MODES.join(', ')}` };
      options.fix = mode as FixMode;
      continue;
    }
    const flag = FLAG_OPTIONS[name];
    if (flag) {
      if (eq !== -1) return { ok: false, error: `option ${name} takes no value` };
      flag(options);
      continue;
    }
    const valued = VALUE_OPTIONS[name];
    if (!valued) return { ok: false, error: `unknown option ${name}${suggestion(name)}` };
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length)
        return { ok: false, error: `option ${name} needs a value${valued.allowed ? `: one of ${valued.allowed.join(', ')}` : ''}` };
      value = argv[++i];
    }
    const isUrl = valued.key === 'githubServerUrl' || valued.key === 'githubApiUrl';
    if (valued.allowed ? !valued.allowed.includes(value) : value === '') {
      const close = valued.allowed ? closest(value, valued.allowed) : undefined;
      return {
        ok: false,
        error: `invalid value '${isUrl ? displayUrl(value) : value}' for ${name}${valued.allowed ? `: expected one of ${valued.allowed.join(', ')}${close ? ` (did you mean ${close}?)` : ''}` : ''}`,
      };
    }
    if (isUrl && !/^https?:\/\/\S+$/.test(value)) {
      return { ok: false, error: `invalid value '${displayUrl(value)}' for ${name}: expected an http(s) URL` };
    }
    if (isUrl && hasUrlCredentials(value)) {
      return {
        ok: false,
        error: `invalid value '${displayUrl(value)}' for ${name}: credentials in the URL are refused; give the token in GITHUB_TOKEN or GH_TOKEN`,
      };
    }
    if (valued.key === 'org') {
      if (!isValidRepoName(value, 'x'))
        return {
          ok: false,
          error: `invalid value '${value}' for --org: an organisation or user name is 1-39 letters, digits or hyphens, not starting with a hyphen`,
        };
      if (!options.orgs.includes(value)) options.orgs.push(value);
      continue;
    }
    (options as unknown as Record<ValueOption, string>)[valued.key] = value;
    if (!options.explicit.includes(valued.key)) options.explicit.push(valued.key);
  }
  if (!onlyPaths) options.pathsBeforeDashDash = options.paths.length;
  if (options.dryRun && !options.fix) return { ok: false, error: '--dry-run needs --fix' };
  if (options.config !== undefined && options.noConfig) return { ok: false, error: '--config and --no-config cannot be used together' };
  if (options.includeForks && options.orgs.length === 0) return { ok: false, error: '--include-forks needs --org' };
  if (options.fix && options.orgs.length > 0)
    return { ok: false, error: '--fix cannot be used with --org: a repository scanned through the API is not on disk' };
  return { ok: true, options };
}

/** ` (did you mean --x?)` for a mistyped option: a unique prefix of one, or one a few edits away. */
function suggestion(name: string): string {
  const known = [...Object.keys(VALUE_OPTIONS), ...Object.keys(FLAG_OPTIONS), '--fix'].filter((option) => option.startsWith('--'));
  const bare = name.replace(/^-+/, '');
  const prefixed = bare.length >= 2 ? known.filter((option) => option.startsWith(`--${bare}`)) : [];
  if (prefixed.length === 1) return ` (did you mean ${prefixed[0]}?)`;
  const close = closest(
    bare,
    known.map((option) => option.slice(2)),
  );
  return close ? ` (did you mean --${close}?)` : '';
}

/** The candidate nearest to `input` by edit distance, when it is near enough to be a typo of it. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  if (input.length === 0 || input.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate, { swaps: true });
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // One edit for short words, up to a third of the word for longer ones.
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

export const HELP_TEXT = `Usage: ${TOOL_NAME} [options] [paths...]
       ${TOOL_NAME} [options] owner/repo[@ref]... | --org owner

Audits GitHub Actions workflows, action metadata (action.yml) and Dependabot
files for security problems.

A folder is searched recursively (skipping node_modules, .git and what its
.gitignore files name) for .github/workflows/*.yml|yaml, action.yml|yaml and
.github/dependabot.yml|yaml.
A file named explicitly is analysed as the kind its name says (a file named
dependabot.yml|yaml is a Dependabot file wherever it is); when its name says
nothing, its top-level keys decide (jobs/on, runs or updates), and a file with
none of them is reported as a syntax-error. With no paths, the current
directory is searched. "-" reads a workflow from standard input.

An argument that exists on disk is a path. Otherwise owner/repo or
owner/repo@ref (a branch, tag or commit; default: the default branch) scans
that repository through the GitHub API without cloning it, as a folder scan
would; paths are shown as owner/repo@<commit>:<path>. Needs the network.
Arguments after -- are always paths.

Input:
      --collect <default|all>
                             default: leave out what .gitignore files in the
                             searched folders name (root and nested, with !,
                             dir/, /anchored and ** patterns); all: every file
                             found. node_modules and .git are always skipped,
                             and files named explicitly are always analysed
      --config <file>        Use this configuration file for every input
      --no-config            Use no configuration file
      --org <owner>          Scan every repository of this organisation (or
                             user), archived ones and forks left out;
                             repeatable
      --include-forks        With --org: scan forks too
      --sarif-dir <dir>      Also write one SARIF file per scanned repository
                             into <dir> (owner__repo.sarif)

Output:
  -f, --format <text|json|sarif|github>
                             Output format (default: text). sarif is SARIF
                             2.1.0 for code scanning (ignored findings are
                             marked suppressed); github prints workflow
                             command annotations (::error file=...::)
      --no-color             Never colour the text output or link rule ids
                             (also: NO_COLOR=1)
      --color                Colour the text output even when not a terminal
      --no-code-frame        No source excerpt under each finding on a terminal
      --exit-codes <default|severity>
                             default: 0 / 1 / 2 as below; severity: 11, 12, 13
                             or 14 when the highest severity shown is
                             informational, low, medium or high

Rules:
      --persona <regular|pedantic|auditor>
                             Which findings to show; each includes the previous
                             (default: regular)
      --min-severity <informational|low|medium|high>
                             Hide findings below this severity; it is also the
                             threshold for the exit code (default:
                             informational)
      --min-confidence <low|medium|high>
                             Hide findings below this confidence (default: low)
      --no-ignores           Also report what inline ignore comments and the
                             configuration's rules.<id>.ignore hide (audits)
      --fix[=safe|all]       Apply the preferred fixes in place (safe: only
                             those that never change behaviour, the default;
                             all: also the unsafe ones), then report what is
                             left. Text output marks them: [fix] for --fix,
                             [fix: --fix=all] for the unsafe ones
      --dry-run              With --fix: print a unified diff, change nothing

Online (off unless --online, a token or a host flag is given):
      --online               Resolve tags and commits on GitHub (online rules,
                             advisories, pins for --fix). Also turned on by a
                             token in GITHUB_TOKEN or GH_TOKEN, or a host flag
      --offline              Make no network request at all (wins over the rest)
      --no-follow-dependencies
                             Online, do not read the action.yml of the actions
                             used (docs/dependency-chain.md)
      --github-server-url <url>, --github-api-url <url>
                             GitHub Enterprise Server addresses; with only the
                             server URL, the API is <url>/api/v3. Otherwise
                             GITHUB_SERVER_URL / GITHUB_API_URL, GH_HOST, then
                             github.server-url / github.api-url in
                             ~/.config/actions-warden/config.yml decide. A
                             repository's configuration never chooses a host
      --cache-dir <dir>      Cache of online answers (default:
                             $XDG_CACHE_HOME/actions-warden, else
                             ~/.cache/actions-warden)

Other:
  -h, --help                 Show this help
  -V, --version              Show the version

Configuration: .github/actions-warden.yml (or actions-warden.yml) is looked up
from each input towards its repository root; where there is none, zizmor.yml
or .github/zizmor.yml is honoured. Command-line options win over the file.

Exit status:
  0  nothing at or above the threshold was found
  1  findings at or above the threshold were found
  2  usage error or I/O error (unknown option, missing path, unreadable file)
  11-14  with --exit-codes severity, instead of 1: the highest severity shown
         (11 informational, 12 low, 13 medium, 14 high)
`;
