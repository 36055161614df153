/**
 * Command-line arguments of `actions-warden`. Parsing is pure: it returns options or a usage error and
 * never touches the process, so it can be tested directly. No dependency: the grammar is small.
 *
 *   actions-warden [options] [paths...]
 *
 * Options take their value as the next argument or after `=` (`--format json`, `--format=json`).
 * `--` ends the options; `-` as a path means standard input (read as a workflow).
 */
import { displayUrl, hasUrlCredentials } from '../../../shared/src/github-hosts';
import { CONFIDENCES, PERSONAS, SEVERITIES, type Confidence, type Persona, type Severity } from '../../../shared/src/settings';
import { TOOL_NAME } from '../version';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export const FIX_MODES = ['safe', 'all'] as const;
export type FixMode = (typeof FIX_MODES)[number];
export type OutputFormat = (typeof FORMATS)[number];

export interface CliOptions {
  /** Paths as given; empty means the current directory. `-` is standard input. */
  paths: string[];
  format: OutputFormat;
  persona: Persona;
  minSeverity: Severity;
  minConfidence: Confidence;
  offline: boolean;
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
  format: 'text',
  persona: 'regular',
  minSeverity: 'informational',
  minConfidence: 'low',
  offline: false,
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

type ValueOption = 'format' | 'persona' | 'minSeverity' | 'minConfidence' | 'config' | 'githubServerUrl' | 'githubApiUrl';

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
};

const FLAG_OPTIONS: Record<string, (options: CliOptions) => void> = {
  '--offline': (options) => {
    options.offline = true;
  },
  '--online': (options) => {
    options.offline = false;
  },
  '--no-config': (options) => {
    options.noConfig = true;
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
  const options: CliOptions = { ...DEFAULT_CLI_OPTIONS, paths: [], explicit: [] };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) {
      if (arg === '') return { ok: false, error: 'empty path argument' };
      options.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (name === '--fix') {
      const mode = eq === -1 ? 'safe' : arg.slice(eq + 1);
      if (!(FIX_MODES as readonly string[]).includes(mode)) return { ok: false, error: `invalid value '${mode}' for --fix: expected one of ${FIX_MODES.join(', ')}` };
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
      if (i + 1 >= argv.length) return { ok: false, error: `option ${name} needs a value${valued.allowed ? `: one of ${valued.allowed.join(', ')}` : ''}` };
      value = argv[++i];
    }
    const isUrl = valued.key === 'githubServerUrl' || valued.key === 'githubApiUrl';
    if (valued.allowed ? !valued.allowed.includes(value) : value === '') {
      return { ok: false, error: `invalid value '${isUrl ? displayUrl(value) : value}' for ${name}${valued.allowed ? `: expected one of ${valued.allowed.join(', ')}` : ''}` };
    }
    if (isUrl && !/^https?:\/\/\S+$/.test(value)) {
      return { ok: false, error: `invalid value '${displayUrl(value)}' for ${name}: expected an http(s) URL` };
    }
    if (isUrl && hasUrlCredentials(value)) {
      return { ok: false, error: `invalid value '${displayUrl(value)}' for ${name}: credentials in the URL are refused; give the token in GITHUB_TOKEN or GH_TOKEN` };
    }
    (options as unknown as Record<ValueOption, string>)[valued.key] = value;
    if (!options.explicit.includes(valued.key)) options.explicit.push(valued.key);
  }
  if (options.dryRun && !options.fix) return { ok: false, error: '--dry-run needs --fix' };
  if (options.config !== undefined && options.noConfig) return { ok: false, error: '--config and --no-config cannot be used together' };
  return { ok: true, options };
}

function suggestion(name: string): string {
  const known = [...Object.keys(VALUE_OPTIONS), ...Object.keys(FLAG_OPTIONS), '--fix'].filter((option) => option.startsWith('--'));
  const close = known.find((option) => option.startsWith(name) || (name.length > 3 && option.includes(name.replace(/^-+/, ''))));
  return close ? ` (did you mean ${close}?)` : '';
}

export const HELP_TEXT = `Usage: ${TOOL_NAME} [options] [paths...]

Audits GitHub Actions workflows, action metadata (action.yml) and Dependabot
files for security problems.

A folder is searched recursively (skipping node_modules and .git) for
.github/workflows/*.yml|yaml, action.yml|yaml and .github/dependabot.yml|yaml.
A file named explicitly is analysed as the kind its name says, and as a
workflow when its name says nothing. With no paths, the current directory is
searched. "-" reads a workflow from standard input.

Options:
  -f, --format <text|json|sarif|github>
                             Output format (default: text). sarif is SARIF
                             2.1.0 for code scanning; github prints workflow
                             command annotations (::error file=...::)
      --persona <regular|pedantic|auditor>
                             Which findings to show; each includes the previous
                             (default: regular)
      --min-severity <informational|low|medium|high>
                             Hide findings below this severity; it is also the
                             threshold for the exit code (default: informational)
      --min-confidence <low|medium|high>
                             Hide findings below this confidence (default: low)
      --config <file>        Use this configuration file for every input
      --no-config            Use no configuration file
      --fix[=safe|all]       Apply the preferred fixes in place (safe: only those
                             that never change behaviour, the default; all: also
                             the unsafe ones), then report what is left
      --dry-run              With --fix: print a unified diff, change nothing
      --offline              Do not use the network
      --online               Allow online checks (default; needs GITHUB_TOKEN or
                             GH_TOKEN for the REST API)
      --github-server-url <url>, --github-api-url <url>
                             GitHub Enterprise Server addresses; with only the
                             server URL, the API is <url>/api/v3. Otherwise
                             GITHUB_SERVER_URL / GITHUB_API_URL, GH_HOST, then
                             github.server-url / github.api-url in
                             ~/.config/actions-warden/config.yml decide. A
                             repository's configuration never chooses a host
      --no-color             Never colour the text output (also: NO_COLOR=1)
      --color                Colour the text output even when not a terminal
      --no-code-frame        No source excerpt under each finding on a terminal
  -h, --help                 Show this help
  -V, --version              Show the version

Configuration: .github/actions-warden.yml (or actions-warden.yml) is looked up
from each input towards its repository root; where there is none, zizmor.yml
or .github/zizmor.yml is honoured. Command-line options win over the file.

Exit status:
  0  nothing at or above the threshold was found
  1  findings at or above the threshold were found
  2  usage error or I/O error (unknown option, missing path, unreadable file)
`;
