/**
 * Code or packages fetched over a plain-text scheme (`http://`, `git://`, `ftp://`): anyone on the path can
 * swap what arrives. Read in every script the shell reader sees (`run:` and third-party script inputs) and in
 * the registry/index inputs of actions.
 */
import { flagValue, pipedInto, runScripts, type RunScript, type ShellCommand, type ShellWord } from '../knowledge/shell';
import type { Fix } from '../findings';
import type { Span } from '../parse/text';
import { scalarText } from '../parse/yaml-nodes';
import type { Rule, RuleContext } from './types';

const SCHEMES = ['http://', 'git://', 'ftp://'] as const;

/**
 * Hosts that serve the same content over HTTPS, so the fix may switch the scheme: each is a public code,
 * package or download host whose HTTPS endpoint is documented and in everyday use. Offline we cannot ask a
 * host whether it speaks HTTPS; a host not listed gets the finding without a fix.
 */
const HTTPS_HOSTS = new Set([
  'github.com',
  'raw.githubusercontent.com',
  'objects.githubusercontent.com',
  'codeload.github.com',
  'gist.github.com',
  'gitlab.com',
  'bitbucket.org',
  'pypi.org',
  'pypi.python.org',
  'files.pythonhosted.org',
  'www.python.org',
  'python.org',
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'nodejs.org',
  'rubygems.org',
  'crates.io',
  'static.rust-lang.org',
  'sh.rustup.rs',
  'go.dev',
  'dl.google.com',
  'proxy.golang.org',
  'repo1.maven.org',
  'repo.maven.apache.org',
  'archive.apache.org',
  'dlcdn.apache.org',
  'downloads.apache.org',
  'www.apache.org',
  'cdn.kernel.org',
  'git.kernel.org',
  'mirrors.kernel.org',
  'ftp.gnu.org',
  'sourceware.org',
  'downloads.sourceforge.net',
  'sourceforge.net',
  'download.docker.com',
  'get.docker.com',
  'releases.hashicorp.com',
  'storage.googleapis.com',
  'dl-cdn.alpinelinux.org',
  'astral.sh',
  'www.sqlite.org',
  'cmake.org',
  'apt.llvm.org',
  'github.io',
]);

const DOWNLOADERS = new Set(['curl', 'wget', 'aria2c', 'invoke-webrequest', 'iwr', 'invoke-restmethod', 'irm']);
const RUNNERS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'python',
  'python3',
  'perl',
  'ruby',
  'node',
  'iex',
  'invoke-expression',
  'pwsh',
  'powershell',
  'source',
  '.',
]);
const EXTRACTORS = new Set(['tar', 'unzip', '7z', 'bsdtar', 'expand-archive', 'dpkg', 'rpm', 'msiexec', 'installer']);
const FILTERS = new Set(['xzcat', 'zcat', 'bzcat', 'zstdcat', 'gunzip', 'gzip', 'xz', 'zstd', 'bzip2', 'tee', 'cat']);
/** Files whose content is run or installed, by extension: a plain-text download of one is a code download. */
const CODE_FILE =
  /\.(sh|bash|py|pl|rb|ps1|bat|cmd|exe|msi|deb|rpm|apk|jar|whl|gem|tgz|tar|gz|xz|bz2|zst|zip|7z|dmg|pkg|appimage|run|bin)$/i;
/** Flags that name where packages come from. */
const INDEX_FLAGS = new Set([
  '--index-url',
  '-i',
  '--extra-index-url',
  '--find-links',
  '-f',
  '--registry',
  '--source',
  '--index',
  '--default-index',
  '--git',
]);
const PACKAGE_TOOLS = new Set([
  'pip',
  'pip3',
  'uv',
  'pipx',
  'poetry',
  'pdm',
  'npm',
  'yarn',
  'pnpm',
  'bun',
  'gem',
  'bundle',
  'cargo',
  'go',
  'composer',
  'easy_install',
]);
const INSTALL_VERBS = new Set(['install', 'add', 'i', 'get', 'sync', 'download', 'require', 'sources']);
const GIT_VERBS = new Set(['clone', 'fetch', 'pull', 'submodule', 'remote', 'ls-remote']);
/** `with:` inputs that name where an action fetches packages or code from. */
const INPUT_KEYS =
  /^(registry|index|registry[-_]url|index[-_]url|extra[-_]index[-_]url|repository[-_]url|mirror|mirror[-_]url|find[-_]links)$/i;

interface Url {
  /** Offset of the URL in the text it was found in. */
  at: number;
  scheme: string;
  host: string;
  text: string;
}

/** The plain-text URLs in `text` (scheme at a word boundary), in order. */
function urlsIn(text: string): Url[] {
  const found: Url[] = [];
  const lower = text.toLowerCase();
  for (const scheme of SCHEMES) {
    for (let at = lower.indexOf(scheme); at !== -1; at = lower.indexOf(scheme, at + scheme.length)) {
      const before = lower[at - 1];
      if (before !== undefined && /[a-z0-9+.-]/.test(before)) continue; // `git+http://` is read below; `xhttp://` is not a URL
      let end = at + scheme.length;
      while (end < text.length && !/[\s"'`<>|;&()]/.test(text[end])) end++;
      const rest = text.slice(at + scheme.length, end);
      let hostEnd = 0;
      while (hostEnd < rest.length && rest[hostEnd] !== '/' && rest[hostEnd] !== '?' && rest[hostEnd] !== '#') hostEnd++;
      let host = rest.slice(0, hostEnd);
      const userAt = host.lastIndexOf('@');
      if (userAt !== -1) host = host.slice(userAt + 1);
      host = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
      found.push({ at, scheme: scheme.slice(0, -3), host: host.toLowerCase(), text: text.slice(at, end) });
    }
  }
  // `git+http://`: pip's VCS form, read as the http URL it holds.
  for (let at = lower.indexOf('git+http://'); at !== -1; at = lower.indexOf('git+http://', at + 1)) {
    const url = urlsIn(text.slice(at + 4)).find((u) => u.at === 0);
    if (url) found.push({ ...url, at: at + 4 });
  }
  return found.sort((a, b) => a.at - b.at);
}

/**
 * Hosts that never leave the machine or the job's own network: loopback, `localhost`, and single-label
 * names (service containers such as `http://registry:5000`, `http://devpi`). Hosts made of expressions or
 * variables are unknown and not reported.
 */
function isLocal(host: string): boolean {
  if (!host || host.includes('$') || host.includes('{') || host.includes('%')) return true;
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '0.0.0.0') return true;
  if (host.startsWith('127.')) return true;
  return !host.includes('.') && !host.startsWith('[');
}

function servesHttps(host: string): boolean {
  if (HTTPS_HOSTS.has(host)) return true;
  const dot = host.indexOf('.');
  return dot !== -1 && host.endsWith('.github.io');
}

const nameOf = (command: ShellCommand) => (command.name.endsWith('.exe') ? command.name.slice(0, -4) : command.name);

/** What the words before a URL (of its command, or of a command line nested in one word) say it is used for. */
function purpose(before: readonly string[], command: ShellCommand | null, run: RunScript | null): string | null {
  const lower = before.map((word) => word.replace(/^.*[\\/]/, '').toLowerCase());
  const last = lower[lower.length - 1] ?? '';
  if (lower.includes('git') && lower.some((word) => GIT_VERBS.has(word))) return 'a git repository fetched';
  if (INDEX_FLAGS.has(last) || INDEX_FLAGS.has(last.split('=')[0])) return 'a package index';
  if (lower.some((word) => PACKAGE_TOOLS.has(word)) && lower.some((word) => INSTALL_VERBS.has(word))) return 'a package installed';
  if (lower.includes('npm') && lower.includes('config') && lower.includes('registry')) return 'a package index';
  if (!command || !run || !DOWNLOADERS.has(nameOf(command))) return null;
  let next = pipedInto(run.script, command);
  for (let hops = 0; next && FILTERS.has(nameOf(next)) && next.pipesTo && hops < 8; hops++) next = pipedInto(run.script, next);
  if (next && RUNNERS.has(nameOf(next))) return 'a script piped into a shell';
  if (next && EXTRACTORS.has(nameOf(next))) return 'an archive unpacked';
  const output =
    nameOf(command) === 'wget'
      ? flagValue(command, '-O', '--output-document')
      : flagValue(command, '-o', '--output', '-OutFile', '-outfile');
  if (output && output.text !== '-' && CODE_FILE.test(output.text)) return 'a program or package downloaded';
  return null;
}

/** The URL's exact span in the document, when the script maps onto it byte for byte there. */
function exactSpan(ctx: RuleContext, run: RunScript, word: ShellWord, url: Url, inWord: number): Span | null {
  const rawAt = word.raw.indexOf(url.text);
  if (rawAt === -1 && inWord !== 0) return null;
  const start = run.toSource(word.span.start + (rawAt === -1 ? 0 : rawAt));
  const span = { start, end: start + url.text.length };
  return ctx.file.text.slice(span.start, span.end) === url.text ? span : null;
}

function schemeFix(ctx: RuleContext, span: Span, url: Url): Fix[] {
  if (!servesHttps(url.host)) return [];
  const end = span.start + url.scheme.length;
  if (ctx.file.text.slice(span.start, end).toLowerCase() !== url.scheme) return [];
  return [
    {
      title: `Fetch \`${url.host}\` over https://`,
      isPreferred: true,
      safety: 'safe',
      edits: [{ span: { start: span.start, end }, newText: 'https' }],
    },
  ];
}

function reportUrl(ctx: RuleContext, span: Span, url: Url, what: string, exact: boolean): void {
  ctx.report({
    span,
    message: `\`${url.text}\` is ${what} over plain \`${url.scheme}://\`: anyone on the network path can change what arrives${servesHttps(url.host) ? `; \`${url.host}\` serves it over https://` : ''}`,
    fixes: exact ? () => schemeFix(ctx, span, url) : [],
  });
}

function checkScript(ctx: RuleContext, run: RunScript, seen: Set<number>): void {
  // Most scripts hold no plain-text URL: one look at the text before reading its commands.
  const lower = run.script.text.toLowerCase();
  if (!SCHEMES.some((scheme) => lower.includes(scheme))) return;
  for (const command of run.script.commands) {
    const words = command.argv;
    for (let w = 0; w < words.length; w++) {
      const word = words[w];
      for (const url of urlsIn(word.text)) {
        if (isLocal(url.host)) continue;
        // A command line inside one word (`ssh host "git clone http://…"`, `sh -c "…"`): read its own words.
        const prefix = word.text.slice(0, url.at);
        const nested = /\s/.test(prefix) ? prefix.trim() : '';
        const before = nested ? nested.split(/\s+/) : words.slice(0, w).map((x) => x.text);
        const what = nested ? purpose(before, null, null) : purpose(before, command, run);
        if (!what) continue;
        const exact = exactSpan(ctx, run, word, url, url.at);
        const span = exact ?? run.sourceSpan(word.span);
        if (seen.has(span.start)) continue;
        seen.add(span.start);
        reportUrl(ctx, span, url, what, exact !== null);
      }
    }
  }
}

export const insecureUrlScheme: Rule = {
  id: 'insecure-url-scheme',
  title: 'Code or packages fetched over plain HTTP or git://',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A script or an action input fetches code or packages from an `http://`, `git://` or `ftp://` URL: a git clone, a package index, a package URL, or a download that is run, unpacked or installed.',
    why: "Nothing on a plain-text connection is authenticated: a hostile Wi-Fi, proxy, compromised router or BGP hijack on the path replaces what the job runs. The runner then executes it with the job's token and secrets. GitHub turned off the unauthenticated `git://` protocol in 2022 for this reason; PyPI and npm have served only HTTPS for years, so an `http://` index is a mirror or a typo.",
    fix: 'Use `https://`. The quick fix switches the scheme for hosts known to serve the same content over HTTPS; for other hosts check that they do, or pin what you fetch with a checksum.',
  },
  check(ctx) {
    const seen = new Set<number>();
    for (const run of runScripts(ctx.file)) checkScript(ctx, run, seen);
    // Registry, index and mirror inputs of actions (`registry-url: http://…`).
    const steps = ctx.file.workflow ? ctx.file.workflow.jobs.flatMap((job) => job.steps) : (ctx.file.action?.steps ?? []);
    for (const step of steps) {
      if (!step.uses) continue;
      for (const entry of step.with.entries) {
        if (!INPUT_KEYS.test(entry.key)) continue;
        const value = scalarText(entry.value);
        if (!value) continue;
        const url = urlsIn(value.trim()).find((u) => u.at === 0);
        if (!url || isLocal(url.host)) continue;
        const start = entry.valueSpan.start + (ctx.file.text.startsWith(url.text, entry.valueSpan.start) ? 0 : 1);
        const exact = ctx.file.text.startsWith(url.text, start);
        const span = exact ? { start, end: start + url.text.length } : entry.valueSpan;
        reportUrl(ctx, span, url, `the package source of \`${entry.key}\``, exact);
      }
    }
  },
};
