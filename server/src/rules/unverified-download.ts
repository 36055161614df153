import { args, flagValue, pipedInto, runScriptsOf, type RunScript, type ShellCommand, type ShellWord } from '../knowledge/shell';
import type { Span } from '../parse/text';
import type { JobView } from '../parse/views';
import type { Rule } from './types';
import type { Fix } from '../findings';
import { cutFromFirst, trimEndOf, wildcardMatch } from '../parse/strings';
import type { ParsedFile, UsesSite } from '../parse/document';
import type { RemoteUses } from '../parse/uses';
import { binaryDownloadAction, type BinaryDownloadAction } from '../knowledge/binary-downloads';
import { knownRelease } from '../knowledge/release-commits';
import { parseVersion, usesCommentVersion } from './support/version-comments';
import type { RuleContext } from './types';

const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'fish',
  'python',
  'python3',
  'perl',
  'ruby',
  'node',
  'iex',
  'invoke-expression',
  'pwsh',
  'powershell',
  'eval',
  'source',
  '.',
]);
const DOWNLOADERS = new Set(['curl', 'wget', 'invoke-webrequest', 'iwr', 'invoke-restmethod', 'irm', 'aria2c']);
const VERIFIERS =
  /^(sha256sum|sha512sum|sha1sum|shasum|b2sum|cosign|minisign|gpg|gpgv|slsa-verifier|get-filehash|certutil|openssl|sigstore|rekor-cli)$/;
const EXTRACT = new Set(['tar', 'unzip', '7z', 'gunzip', 'expand-archive', 'bsdtar', 'xz']);
/** Commands a download can be piped through on its way to a shell or an extractor: they pass the bytes on. */
const FILTERS = new Set([
  'xzcat',
  'zcat',
  'bzcat',
  'zstdcat',
  'lzcat',
  'unxz',
  'bunzip2',
  'gzip',
  'gunzip',
  'xz',
  'zstd',
  'bzip2',
  'pv',
  'cat',
  'tee',
]);

/** A command's name without a Windows `.exe` (`curl.exe`, the real curl in PowerShell, where `curl` is an alias). */
function nameOf(command: ShellCommand): string {
  return command.name.endsWith('.exe') ? command.name.slice(0, -4) : command.name;
}

/** A path with Windows separators turned into `/`. */
const slashed = (path: string) => path.replace(/\\/g, '/');

/** A word read as a path: as written when it holds a `\\` and no quote (a Windows path, where `\\` is no escape). */
const pathOf = (word: ShellWord | undefined) =>
  !word ? '' : slashed(word.raw.includes('\\') && !/['"]/.test(word.raw) ? word.raw : word.text);
const INSTALL = new Set([
  'dpkg',
  'rpm',
  'apt',
  'apt-get',
  'yum',
  'dnf',
  'msiexec',
  'installer',
  'pip',
  'pip3',
  'sudo',
  'install',
  'mv',
  'cp',
  'start-process',
  'chmod',
]);

const PAST: Record<string, string> = {
  executes: 'executed',
  extracts: 'extracted',
  installs: 'installed',
  'makes executable': 'made executable',
  'extracts and runs': 'extracted and run',
};

interface Download {
  run: RunScript;
  command: ShellCommand;
  url: string;
  /** File the download is saved to, when known. */
  file: string | null;
}

/** A literal http(s) URL argument (expressions and variables allowed inside it). */
function urlOf(command: ShellCommand): string | null {
  for (const word of args(command)) if (/^https?:\/\//i.test(word.text)) return word.text;
  const uri = flagValue(command, '-Uri', '-uri');
  return uri && /^https?:/i.test(uri.text) ? uri.text : null;
}

/** URLs that name immutable content: raw GitHub content at a full commit SHA. */
function immutable(url: string): boolean {
  return (
    /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//i.test(url) ||
    /^https:\/\/github\.com\/[^/]+\/[^/]+\/raw\/[0-9a-f]{40}\//i.test(url)
  );
}

/**
 * The file `gh release download` writes: `-O`/`--output`, else a `--pattern` that names one asset (no
 * glob characters), in `--dir` when given; null when the assets are chosen by a glob or not named.
 */
function releaseAssetFile(command: ShellCommand): string | null {
  const output = flagValue(command, '-O', '--output');
  if (output) return output.text === '-' ? null : output.text;
  const pattern = flagValue(command, '-p', '--pattern');
  if (!pattern || /[*?[\]]/.test(pattern.text)) return null;
  const dir = flagValue(command, '-D', '--dir');
  return dir && dir.text !== '.' ? `${trimEndOf(dir.text, '/')}/${pattern.text}` : pattern.text;
}

function savedFile(command: ShellCommand, url: string): string | null {
  const name = nameOf(command);
  if (name === 'gh') return releaseAssetFile(command);
  const output =
    name === 'wget' ? flagValue(command, '-O', '--output-document') : flagValue(command, '-o', '--output', '-OutFile', '-outfile');
  if (output) return output.text === '-' ? null : output.text;
  const list = args(command);
  const combined = list.findIndex((word) => (name === 'wget' ? /^-[a-zA-Z]*O$/ : /^-[a-zA-Z]*o$/).test(word.text));
  if (combined >= 0 && list[combined + 1]) return list[combined + 1].text === '-' ? null : list[combined + 1].text;
  const remote =
    name === 'curl'
      ? args(command).some((word) => (/^-[a-zA-Z]+$/.test(word.text) && word.text.includes('O')) || word.text === '--remote-name')
      : name === 'wget';
  if (remote) return cutFromFirst(url, '?#').replace(/^.*\//, '') || null;
  return null;
}

function mentions(command: ShellCommand, file: string): boolean {
  const base = slashed(file).replace(/^.*\//, '');
  return (
    command.argv.some((argument) => {
      const word = { text: pathOf(argument) };
      return word.text === slashed(file) || word.text.endsWith(`/${base}`) || word.text === base || word.text === `./${base}`;
    }) || command.redirects.some((redirect) => redirect.target?.text === file)
  );
}

function verified(scripts: RunScript[], download: Download): boolean {
  for (const run of scripts) {
    if (run.step.index < download.run.step.index) continue;
    for (const command of run.script.commands) {
      const name = nameOf(command);
      if (!VERIFIERS.test(name)) continue;
      if (name === 'gpg' && !args(command).some((word) => word.text === '--verify')) continue;
      if (name === 'openssl' && command.argv[1]?.text !== 'dgst') continue;
      if (name === 'cosign' && !/^verify/.test(command.argv[1]?.text ?? '')) continue;
      if (run === download.run || !download.file || mentions(command, download.file) || run.script.text.includes(download.file))
        return true;
    }
    if (
      run.script.commands.some(
        (command) => command.name === 'gh' && command.argv[1]?.text === 'attestation' && command.argv[2]?.text === 'verify',
      )
    )
      return true;
    // PowerShell hashes inside expressions (`if ((Get-FileHash f).Hash -ne …)`), where no command starts with it.
    if (/get-filehash/i.test(run.script.text) && (run === download.run || !download.file || run.script.text.includes(download.file)))
      return true;
  }
  return false;
}

/** Where an extractor writes: `tar -C dir`, `unzip -d dir`, `Expand-Archive -DestinationPath dir`, `7z -odir`. */
function extractDestination(command: ShellCommand): string | null {
  const name = nameOf(command);
  const flag =
    name === 'tar' || name === 'bsdtar'
      ? flagValue(command, '-C', '--directory')
      : name === 'unzip'
        ? flagValue(command, '-d')
        : name === 'expand-archive'
          ? flagValue(command, '-DestinationPath', '-destinationpath')
          : null;
  if (flag) return pathOf(flag);
  if (name === '7z') {
    const out = args(command).find((word) => word.text.startsWith('-o') && word.text.length > 2);
    if (out) return out.text.slice(2);
  }
  return null;
}

/** The command that runs a program from `dir` (`dir/tool`, `./dir/tool`, `.\\dir\\setup.exe`), after `after`. */
function runsFrom(scripts: RunScript[], from: RunScript, after: number, dir: string): { span: Span } | null {
  const prefix = trimEndOf(slashed(dir).replace(/^\.\//, ''), '/');
  if (!prefix || prefix === '.' || prefix === '/') return null;
  for (const run of scripts) {
    if (run.step.index < from.step.index) continue;
    for (const command of run.script.commands) {
      if (run === from && command.span.start <= after) continue;
      const first = pathOf(command.argv[0]).replace(/^\.\//, '');
      if (first.startsWith(`${prefix}/`)) return { span: run.sourceSpan(command.span) };
    }
  }
  return null;
}

function consumer(scripts: RunScript[], download: Download): { span: Span; what: string } | null {
  if (!download.file) return null;
  const file = slashed(download.file);
  const base = file.replace(/^.*\//, '');
  for (const run of scripts) {
    if (run.step.index < download.run.step.index) continue;
    for (const command of run.script.commands) {
      if (run === download.run && command.span.start <= download.command.span.start) continue;
      const first = pathOf(command.argv[0]);
      if ((first === file || first === `./${base}` || first.endsWith(`/${base}`)) && first.includes('/'))
        return { span: run.sourceSpan(command.span), what: 'executes' };
      if (!mentions(command, download.file)) continue;
      const name = nameOf(command);
      if (SHELLS.has(name)) return { span: run.sourceSpan(command.span), what: 'executes' };
      if (EXTRACT.has(name)) {
        // Extracted, then a program of the extracted tree run: that is running the download.
        const destination = extractDestination(command);
        const runner = destination ? runsFrom(scripts, run, command.span.start, destination) : null;
        if (runner) return { span: runner.span, what: 'extracts and runs' };
        return { span: run.sourceSpan(command.span), what: 'extracts' };
      }
      if (INSTALL.has(name)) return { span: run.sourceSpan(command.span), what: name === 'chmod' ? 'makes executable' : 'installs' };
    }
  }
  return null;
}

/** sha256 for a URL from `checksums` config: exact URL, or a pattern with `*`. */
function knownChecksum(config: Readonly<Record<string, unknown>>, url: string): string | null {
  const map = config.checksums;
  if (!map || typeof map !== 'object' || Array.isArray(map)) return null;
  for (const [pattern, hash] of Object.entries(map as Record<string, unknown>)) {
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/i.test(hash)) continue;
    if (pattern === url) return hash.toLowerCase();
    if (pattern.includes('*')) {
      if (wildcardMatch(pattern, url)) return hash.toLowerCase();
    }
  }
  return null;
}

export const unverifiedDownload: Rule = {
  id: 'unverified-download',
  title: 'Downloaded code executed without a checksum or signature check',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'medium',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A `run:` step fetches a script or binary (curl, wget, Invoke-WebRequest, `gh release download`, `pip install <url>`) and pipes it to a shell, executes, extracts or installs it, with no checksum or signature verification; at pedantic, also a step using a setup or installer action that downloads a native binary without checking it (or with the check left off by its inputs).',
    why: "A SHA-pinned action is immutable; what it downloads is not. In LiteLLM (2026, PYSEC-2026-2) the publishing job ran `curl …/main/install.sh | sh` and installed a scanner whose release had been replaced, which stole the PyPI credential. Codecov's bash uploader (2021) was altered at its download URL and exfiltrated CI secrets for two months. Astral calls this the gap no tool covers: download, then `sha256sum -c` against a pinned checksum.",
    fix: 'Pin the version in the URL and verify it before use: `echo "<sha256>  tool.tar.gz" | sha256sum -c -` (or `gh attestation verify`, `cosign verify-blob`, `minisign -V`, `gpg --verify`). Never pipe a download into a shell. Record known hashes in the rule\'s `checksums` map (URL or URL pattern with `*` → sha256) to get a quick fix that inserts the check.',
  },
  check({ file, config, report }) {
    binaryDownloads(file, report);
    const jobs: (JobView | null)[] = file.workflow ? file.workflow.jobs : file.action ? [null] : [];
    for (const job of jobs) {
      const scripts = runScriptsOf(file, job);
      for (const run of scripts) {
        for (const command of run.script.commands) {
          const name = nameOf(command);
          let url: string | null = null;
          if (DOWNLOADERS.has(name)) url = urlOf(command);
          else if (name === 'gh' && command.argv[1]?.text === 'release' && command.argv[2]?.text === 'download')
            url = `gh release download ${command.argv[3]?.text ?? ''}`.trim();
          else if (
            (name === 'pip' || name === 'pip3' || (name.startsWith('python') && command.argv[2]?.text === 'pip')) &&
            args(command).some((word) => word.text === 'install')
          ) {
            const target = args(command).find((word) => /^(https?:\/\/|git\+)/.test(word.text));
            if (target && !/#sha256=|--require-hashes/.test(run.script.text) && !/@[0-9a-f]{40}/.test(target.text)) {
              report({
                span: run.sourceSpan(target.span),
                message: `\`pip install\` installs \`${target.text}\` straight from a URL, with no hash: whoever controls that URL controls the install`,
                severity: 'medium',
                confidence: 'medium',
              });
            }
            continue;
          }
          if (!url || immutable(url)) continue;
          const download: Download = { run, command, url, file: savedFile(command, url) };
          const span = run.sourceSpan(command.argv[0].span);
          // Piped into a shell / interpreter / extractor, maybe through a decompressor (`| xzcat | tar -x`).
          let next = pipedInto(run.script, command);
          for (let hops = 0; next && FILTERS.has(nameOf(next)) && next.pipesTo && hops < 8; hops++) next = pipedInto(run.script, next);
          if (next) {
            if (SHELLS.has(nameOf(next)) || (next.name === 'sudo' && SHELLS.has(next.argv[0]?.text ?? ''))) {
              report({
                span,
                message: `\`${url}\` is downloaded and piped straight into \`${next.name}\`: whoever controls that URL (or its release) runs code in this job`,
                severity: 'high',
                confidence: 'high',
                related: [{ span: run.sourceSpan(next.span), message: 'executes the download' }],
              });
              continue;
            }
            if (EXTRACT.has(nameOf(next)) && !verified(scripts, download)) {
              // Unpacked over the root of the file system (`tar -x -C /`): it installs programs.
              const overRoot = extractDestination(next) === '/';
              report({
                span,
                message: `\`${url}\` is downloaded and extracted (\`${next.name}\`)${overRoot ? ' over `/`' : ''} with no checksum or signature check`,
                severity: overRoot ? 'high' : 'medium',
                confidence: 'medium',
                related: [{ span: run.sourceSpan(next.span), message: 'extracts the download' }],
              });
            }
            continue;
          }
          // Inside `$( )` / `<( )` of a shell: `bash <(curl ...)`, `sh -c "$(curl ...)"`.
          if (command.inSubstitution) {
            const outer = run.script.commands.find(
              (other) => !other.inSubstitution && other.span.start <= command.span.start && other.span.end >= command.span.end,
            );
            if (outer && SHELLS.has(outer.name)) {
              report({
                span,
                message: `\`${url}\` is downloaded and executed by \`${outer.name}\` in one go: whoever controls that URL runs code in this job`,
                severity: 'high',
                confidence: 'high',
              });
            }
            continue;
          }
          const use = consumer(scripts, download);
          if (!use || verified(scripts, download)) continue;
          const hash = download.file ? knownChecksum(config, url) : null;
          const fixes: Fix[] = [];
          if (hash && download.file) {
            const lineIndex = file.lines;
            const endLine = lineIndex.lineAt(run.toSource(command.span.end));
            const indent = lineIndex.indentation(lineIndex.lineAt(run.toSource(command.span.start)));
            const at = lineIndex.lineContentEnd(endLine);
            fixes.push({
              title: `Verify ${download.file} against its recorded sha256`,
              isPreferred: true,
              safety: 'safe',
              edits: [
                { span: { start: at, end: at }, newText: `${lineIndex.eol}${indent}echo "${hash}  ${download.file}" | sha256sum -c -` },
              ],
            });
          }
          report({
            span,
            message: `\`${url}\` is downloaded${download.file ? ` to \`${download.file}\`` : ''} and then ${PAST[use.what] ?? use.what}, with no checksum or signature check${hash ? ' (its sha256 is recorded in the configuration)' : ''}`,
            severity: use.what === 'extracts' ? 'medium' : 'high',
            confidence: 'medium',
            related: [{ span: use.span, message: `${use.what} the download` }],
            fixes,
          });
        }
      }
    }
  },
};

/**
 * The release of the action a `uses:` names: its version ref (`v7`, `v7.1.0`), or for a SHA pin its
 * version comment, else the bundled release of that commit; null when unknown (a branch, a bare SHA).
 */
function usedVersion(file: ParsedFile, site: UsesSite, uses: RemoteUses): number[] | null {
  const ref = uses.ref ?? '';
  let text: string | null = null;
  if (uses.refKind === 'version') text = ref;
  else if (uses.refKind === 'sha')
    text = usesCommentVersion(file, site) ?? knownRelease(uses.repository, ref.toLowerCase())?.version ?? null;
  const version = text ? parseVersion(text) : null;
  if (!version || version.prerelease) return null;
  // Missing components mean the newest release of that series: `v7` is at least `v7.1.0`.
  return [0, 1, 2].map((i) => (i < version.parts.length ? version.parts[i] : Number.POSITIVE_INFINITY));
}

/** True when `used` (from usedVersion) is `since` or later. */
function atLeast(used: number[], since: string): boolean {
  const floor = parseVersion(since)?.parts ?? [];
  for (let i = 0; i < 3; i++) {
    const want = floor[i] ?? 0;
    if (used[i] !== want) return used[i] > want;
  }
  return true;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+$/;

/** Longest input value or `uses:` quoted in a message (then `…`). */
const MAX_SHOWN = 100;

/**
 * Text of the workflow for a code span of a message: at most MAX_SHOWN characters, a backtick shown as
 * `'` (so the span is never cut short), and line breaks, other controls and bidirectional controls shown
 * as `\uXXXX` (a message is one line, and reads the same in every output).
 */
function shown(text: string): string {
  let out = '';
  for (let i = 0; i < text.length && i < MAX_SHOWN; i++) {
    const code = text.charCodeAt(i);
    const hidden =
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069) ||
      code === 0x2028 ||
      code === 0x2029;
    out += text[i] === '`' ? "'" : hidden ? `\\u${code.toString(16).padStart(4, '0')}` : text[i];
  }
  return text.length > MAX_SHOWN ? `${out}…` : out;
}

/**
 * Steps using an action of the bundled table that downloads a native binary without checking it (or whose
 * caller left the check off): pedantic, on the `uses:` value, naming the binary and what to do.
 */
function binaryDownloads(file: ParsedFile, report: RuleContext['report']): void {
  for (const site of file.uses) {
    const uses = site.reference;
    if (uses.kind !== 'remote' || !site.step || uses.isReusableWorkflow || uses.subpath) continue;
    const entry = binaryDownloadAction(uses.repository);
    if (!entry) continue;
    const input = (name: string) => site.step?.with.string(name)?.value.trim() ?? null;
    if (entry.noDownload?.values.includes(input(entry.noDownload.input)?.toLowerCase() ?? '')) continue;
    // Toolchains preinstalled on the runner are used from its tool cache: only `check-latest: true` makes a download likely.
    if (entry.toolCacheFirst && input(entry.toolCacheFirst.input)?.toLowerCase() !== 'true') continue;
    const problem = unchecked(entry, input, () => usedVersion(file, site, uses));
    if (!problem) continue;
    report({
      span: site.entry.valueSpan,
      message: `\`${shown(site.value)}\` downloads ${entry.binary} from ${entry.from} ${problem}: ${entry.advice}`,
      severity: 'low',
      confidence: entry.verification.kind === 'bundled-list' ? 'medium' : 'high',
      persona: 'pedantic',
    });
  }
}

/** Why the entry's download is unchecked for this step (the words after where it downloads from), or null when it is checked or not known. */
function unchecked(entry: BinaryDownloadAction, input: (name: string) => string | null, version: () => number[] | null): string | null {
  const verification = entry.verification;
  switch (verification.kind) {
    case 'never':
      return entry.toolCacheFirst
        ? `without a checksum or signature check whenever the runner image lacks the newest release \`${entry.toolCacheFirst.input}: true\` resolves`
        : 'and runs it without a checksum or signature check';
    case 'always': {
      if (!verification.since) return null;
      // An unknown release (a branch, a bare SHA the table does not know) is not guessed at.
      const used = version();
      return used && !atLeast(used, verification.since)
        ? `and runs it without a check (releases before ${verification.since} do not check it)`
        : null;
    }
    case 'opt-in': {
      const value = input(verification.input);
      if (value?.includes('${{')) return null;
      const on = verification.value === 'true' ? value?.toLowerCase() === 'true' : Boolean(value);
      if (!on) return `and runs it without a check: \`${verification.input}\` is ${value === null ? 'not set' : `\`${shown(value)}\``}`;
      const used = verification.since ? version() : null;
      return used && verification.since && !atLeast(used, verification.since)
        ? `and runs it without a check: \`${verification.input}\` is ignored before ${verification.since}`
        : null;
    }
    case 'bundled-list': {
      const checksum = input(verification.input);
      if (checksum) return null;
      const wanted = input(verification.versionInput);
      if (wanted !== null && EXACT_VERSION.test(wanted)) return null;
      // A version chosen by an expression (a matrix of exact versions, an input) is not guessed at.
      if (wanted?.includes('${{')) return null;
      const chosen = wanted === null ? 'the version it finds in the project or the latest' : `\`${shown(wanted)}\``;
      return `and checks it only against the checksum list bundled in the action's release (\`${verification.input}\` is ${checksum === null ? 'not set' : 'empty'}; \`${verification.versionInput}\` selects ${chosen}, and a newer release is installed unchecked)`;
    }
  }
}
