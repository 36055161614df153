/**
 * Command-line arguments of `actions-warden`. Parsing is pure: it returns options or a usage error and
 * never touches the process, so it can be tested directly. No dependency: the grammar is small.
 *
 *   actions-warden [options] [paths...]
 *
 * Options take their value as the next argument or after `=` (`--format json`, `--format=json`).
 * `--` ends the options; `-` as a path means standard input (read as a workflow).
 */
import { PERSONAS, SEVERITIES, type Persona, type Severity } from '../../../shared/src/settings';
import { TOOL_NAME } from '../version';

export const FORMATS = ['text', 'json'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export interface CliOptions {
  /** Paths as given; empty means the current directory. `-` is standard input. */
  paths: string[];
  format: OutputFormat;
  persona: Persona;
  minSeverity: Severity;
  offline: boolean;
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
  offline: false,
  color: true,
  forceColor: false,
  help: false,
  version: false,
};

export type ParseResult = { ok: true; options: CliOptions } | { ok: false; error: string };

type ValueOption = 'format' | 'persona' | 'minSeverity';

const VALUE_OPTIONS: Record<string, { key: ValueOption; allowed: readonly string[] }> = {
  '--format': { key: 'format', allowed: FORMATS },
  '-f': { key: 'format', allowed: FORMATS },
  '--persona': { key: 'persona', allowed: PERSONAS },
  '--min-severity': { key: 'minSeverity', allowed: SEVERITIES },
};

const FLAG_OPTIONS: Record<string, (options: CliOptions) => void> = {
  '--offline': (options) => {
    options.offline = true;
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
  const options: CliOptions = { ...DEFAULT_CLI_OPTIONS, paths: [] };
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
      if (i + 1 >= argv.length) return { ok: false, error: `option ${name} needs a value: one of ${valued.allowed.join(', ')}` };
      value = argv[++i];
    }
    if (!valued.allowed.includes(value)) {
      return { ok: false, error: `invalid value '${value}' for ${name}: expected one of ${valued.allowed.join(', ')}` };
    }
    (options as unknown as Record<ValueOption, string>)[valued.key] = value;
  }
  return { ok: true, options };
}

function suggestion(name: string): string {
  const known = [...Object.keys(VALUE_OPTIONS), ...Object.keys(FLAG_OPTIONS)].filter((option) => option.startsWith('--'));
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
  -f, --format <text|json>   Output format (default: text)
      --persona <regular|pedantic|auditor>
                             Which findings to show; each includes the previous
                             (default: regular)
      --min-severity <informational|low|medium|high>
                             Hide findings below this severity; it is also the
                             threshold for the exit code (default: informational)
      --offline              Do not use the network (online checks are not
                             implemented yet, so this is the current behaviour)
      --no-color             Never colour the text output (also: NO_COLOR=1)
      --color                Colour the text output even when not a terminal
  -h, --help                 Show this help
  -V, --version              Show the version

Exit status:
  0  nothing at or above the threshold was found
  1  findings at or above the threshold were found
  2  usage error or I/O error (unknown option, missing path, unreadable file)
`;
