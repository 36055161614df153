/**
 * The CLI's run function: arguments in, exit code out, with every effect behind `CliIo` so tests can
 * drive it in-process. Exit codes: 0 nothing at or above the threshold, 1 something was, 2 usage or
 * I/O error (findings of the files that could be read are still printed).
 *
 * Configuration: `--config FILE` applies one file to every input; otherwise each input's configuration
 * is discovered from its folder up to its repository root (see config/find-config.ts); `--no-config`
 * turns both off. Options given on the command line win over the file. Problems in a configuration
 * file are reported as `config-error` findings in that file.
 *
 * `--fix[=safe|all]` applies the preferred fixes in place, re-analysing and re-applying until nothing
 * changes (at most MAX_FIX_ROUNDS rounds), reports on stderr what changed, then reports what is left.
 * With `--dry-run` nothing is written: stdout is the unified diff, and the exit code is 1 when anything
 * would change or remain.
 *
 * Everything written to stdout and stderr that carries untrusted text (paths, file content, messages
 * and errors naming them) goes through ./escape; the formats do it for their own output.
 */
import { fstatSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SEVERITIES, type Severity } from '../../../shared/src/settings';
import { configFindings, optionsWithConfig, type Overrides } from '../config/apply';
import { parseConfig, type WardenConfig } from '../config/config-file';
import { configSearchBoundary, findConfig, loadConfig, relativeTo } from '../config/find-config';
import { DEFAULT_ANALYSIS_OPTIONS, settleLazyFixes, type AnalysisOptions } from '../engine';
import { isSuppressed, type SuppressedFinding } from '../findings';
import { fixAllEdits } from '../fixes/fix-all';
import { hasUtf8Bom, isValidUtf8, RefusedError, writeFileWithin } from '../files/confined';
import { applyEdits } from '../fixes/edits';
import { LockReader } from '../lockfile/locate';
import { virtualLockView } from './virtual-lock';
import { lockFixes } from './lock-fix';
import type { RepoData } from '../resolve/repo-data';
import type { Fix } from '../findings';
import { TOOL_NAME, VERSION } from '../version';
import { HELP_TEXT, parseArgs, type CliOptions, type FixMode } from './args';
import { unifiedDiffReport } from './diff';
import { describeError, discover, displayPath, kindOfContent, STDIN_PATH, type Target } from './discover';
import { escapeText } from './escape';
import { formatGithub } from './format-github';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import {
  analyzeTarget,
  analyzeText,
  decode,
  notAnActionsFileResult,
  parsedName,
  readTargetOf,
  sortResults,
  useDependencies,
  useOnlineSnapshot,
  type FileResult,
  type ReadResult,
} from './results';
import { chooseCliHosts, readUserConfig, refusedRepositoryHosts, userConfigPath, type HostChoice } from './hosts';
import { cliOnlineSnapshot, wantsOnline } from './online';
import { cliRepositoryPolicies } from './policy';
import { available } from '../views';
import type { RepositoryPolicy } from '../resolve/repo-policy';
import type { DependencyGraph } from '../dependencies/walk';
import {
  badRepoSpecMessage,
  looksLikeRepoSpec,
  parseRepoSpec,
  scanRemote,
  type RemoteOrigin,
  type RemoteScan,
  type RepoSpec,
} from './remote';
import { writeSarifDir } from './sarif-dir';
import { buildWorkspaces, mayUseLocal, takesPartInCalls } from './workspace';
import { parseFile, type ParsedFile } from '../parse/document';
import { defaultCliCacheDir } from '../resolve/cache';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
export const MAX_FIX_ROUNDS = 10;

export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** All of standard input. */
  readStdin(): Promise<Uint8Array>;
}

interface ConfigChoice {
  config: WardenConfig | null;
  /** Folder that ignore locations are relative to. */
  root: string;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`${TOOL_NAME}: ${escapeText(parsed.error)}\nTry '${TOOL_NAME} --help' for more information.\n`);
    return EXIT_ERROR;
  }
  const options = parsed.options;
  if (options.help) {
    io.stdout.write(HELP_TEXT);
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout.write(`${TOOL_NAME} ${VERSION}\n`);
    return EXIT_OK;
  }

  // An argument that exists on disk, or whose first part does, is a path; otherwise `owner/repo[@ref]` names a repository to scan
  // through the API; an argument shaped like one that breaks GitHub's name rules is a usage error.
  const localPaths: string[] = [];
  const specs: RepoSpec[] = [];
  for (const [index, given] of options.paths.entries()) {
    // A name whose first part is on disk (`examples/no-such-file`) is a mistyped path, not a repository.
    const firstPart = given.split(/[\\/]/)[0];
    if (
      given === STDIN_PATH ||
      index >= options.pathsBeforeDashDash ||
      existsOnDisk(resolve(io.cwd, given)) ||
      (firstPart !== '' && existsOnDisk(resolve(io.cwd, firstPart)))
    ) {
      localPaths.push(given);
      continue;
    }
    const spec = parseRepoSpec(given);
    if (spec) specs.push(spec);
    else if (looksLikeRepoSpec(given)) {
      io.stderr.write(`${TOOL_NAME}: ${escapeText(badRepoSpecMessage(given))}\nTry '${TOOL_NAME} --help' for more information.\n`);
      return EXIT_ERROR;
    } else localPaths.push(given);
  }
  const remoteWanted = specs.length > 0 || options.orgs.length > 0;
  if (remoteWanted && options.fix) {
    io.stderr.write(
      `${TOOL_NAME}: --fix cannot be used with a repository scanned through the API (${escapeText(specs[0]?.given ?? `--org ${options.orgs[0]}`)}): it is not on disk; clone it to fix it\n`,
    );
    return EXIT_ERROR;
  }
  if (remoteWanted && options.offline) {
    io.stderr.write(
      `${TOOL_NAME}: error: cannot scan ${escapeText(specs[0]?.given ?? `--org ${options.orgs[0]}`)}: scanning a repository that is not on disk needs the network, and --offline is set (an argument that exists on disk is read as a path)\n`,
    );
    return EXIT_ERROR;
  }
  if (options.sarifDir !== undefined && !remoteWanted) {
    io.stderr.write(`${TOOL_NAME}: --sarif-dir needs owner/repo arguments or --org (for files on disk, use --format sarif)\n`);
    return EXIT_ERROR;
  }

  const errors: string[] = [];
  const overrides: Overrides = {
    persona: options.explicit.includes('persona') ? options.persona : undefined,
    minSeverity: options.explicit.includes('minSeverity') ? options.minSeverity : undefined,
    minConfidence: options.explicit.includes('minConfidence') ? options.minConfidence : undefined,
  };
  // Suppressed findings are kept for SARIF (as suppressions), for --no-ignores (as plain findings) and for
  // the text output (counted in its summary).
  const base: AnalysisOptions = {
    ...DEFAULT_ANALYSIS_OPTIONS,
    ...(options.noIgnores || options.format === 'sarif' || options.format === 'text' ? { keepSuppressed: true } : {}),
  };

  // Configuration: one global file, or one per repository (cached by path).
  let globalConfig: ConfigChoice | null = null;
  if (options.config !== undefined) {
    const path = resolve(io.cwd, options.config);
    try {
      readFileSync(path);
    } catch (error) {
      io.stderr.write(
        `${TOOL_NAME}: error: --config ${escapeText(options.config)}: ${escapeText(error instanceof Error ? error.message : String(error))}\n`,
      );
      return EXIT_ERROR;
    }
    globalConfig = { config: loadConfig(path), root: io.cwd };
  }
  const discovered = new Map<string, ConfigChoice>();
  const usedConfigs = new Set<WardenConfig>();
  const foundByFolder = new Map<string, ReturnType<typeof findConfig>>();
  const boundaryByRoot = new Map<string, string>();
  // A scanned repository's configuration: the one at its root, as its files are read (by origin label).
  let remote: RemoteScan | undefined;
  const remoteChoices = new Map<string, ConfigChoice>();
  const remoteConfigs = new Map<WardenConfig, { origin: RemoteOrigin; repoPath: string }>();
  const configFor = (target: Target): ConfigChoice => {
    if (options.noConfig) return { config: null, root: io.cwd };
    if (globalConfig) return globalConfig;
    if (target.virtual) {
      const label = target.virtual.origin.label;
      let choice = remoteChoices.get(label);
      if (!choice) {
        const file = remote?.configs.get(label);
        choice = file
          ? { config: parseConfig(file.text, `${label}:${file.repoPath}`, file.format), root: '' }
          : { config: null, root: io.cwd };
        if (file && choice.config) remoteConfigs.set(choice.config, { origin: file.origin, repoPath: file.repoPath });
        remoteChoices.set(label, choice);
      }
      return choice;
    }
    const start = target.path === STDIN_PATH ? io.cwd : dirname(target.path);
    // Files of one folder share their configuration: look it up once per folder (each look-up stats a few
    // candidate names in every folder up to the repository root, or up to the scanned root outside one).
    let found = foundByFolder.get(start);
    if (found === undefined) {
      const scannedRoot = target.path === STDIN_PATH ? io.cwd : target.rootPath;
      let boundary = boundaryByRoot.get(scannedRoot);
      if (boundary === undefined) boundaryByRoot.set(scannedRoot, (boundary = configSearchBoundary(scannedRoot)));
      found = findConfig(start, boundary);
      foundByFolder.set(start, found);
    }
    if (!found) return { config: null, root: io.cwd };
    let choice = discovered.get(found.path);
    if (!choice) {
      choice = { config: loadConfig(found.path, found.format, found.outside), root: found.root };
      discovered.set(found.path, choice);
    }
    return choice;
  };

  // With only repositories to scan, no folder is searched (not even the current one).
  const {
    targets,
    errors: discoveryErrors,
    skipped,
    ignored,
  } = localPaths.length === 0 && remoteWanted
    ? { targets: [] as Target[], errors: [] as string[], skipped: [] as string[], ignored: 0 }
    : discover(localPaths, io.cwd, { collect: options.collect });
  errors.push(...discoveryErrors);
  for (const message of skipped) io.stderr.write(`${TOOL_NAME}: note: skipped ${escapeText(message)}\n`);
  const note = (message: string) => io.stderr.write(`${TOOL_NAME}: note: ${escapeText(message)}\n`);
  // GitHub hosts (and so where the token goes): flags, the environment, the user configuration; never a
  // scanned repository's configuration, whose hosts are refused with a config-error when they differ.
  let hostChoice: HostChoice | undefined;
  const hostsOnce = () => (hostChoice ??= chooseCliHosts(options, io.env, readUserConfig(userConfigPath(io.env)), note));
  const cacheDir = options.cacheDir !== undefined ? resolve(io.cwd, options.cacheDir) : defaultCliCacheDir(io.env);
  if (remoteWanted) {
    const hosts = hostsOnce();
    remote = await scanRemote(specs, options.orgs, {
      serverUrl: hosts.serverUrl,
      apiUrl: hosts.apiUrl,
      token: io.env.GITHUB_TOKEN || io.env.GH_TOKEN || undefined,
      cacheDir,
      includeForks: options.includeForks,
    });
    for (const message of remote.notes) note(message);
    errors.push(...remote.errors);
    targets.push(...remote.targets);
  }
  let online = false;
  let policies = new Map<Target, RepositoryPolicy>();
  let dependencies: DependencyGraph | undefined;
  let lockData: RepoData | undefined;
  if (wantsOnline(options, io.env)) {
    const hosts = hostsOnce();
    const repositoryConfigs = new Set(
      targets.map((target) => configFor(target).config).filter((config): config is WardenConfig => config !== null),
    );
    for (const config of repositoryConfigs) config.problems.push(...refusedRepositoryHosts(config, hosts));
    const snapshot = await cliOnlineSnapshot(
      hosts,
      io.env,
      targets,
      note,
      options.cacheDir !== undefined ? { cacheDir: resolve(io.cwd, options.cacheDir) } : {},
      {
        followDependencies: options.followDependencies,
        followFor: (target) => configFor(target).config?.followDependencies !== false,
        onDependencies: (graph) => (dependencies = graph),
        onLockData: (data) => (lockData = data),
      },
    );
    online = snapshot !== undefined;
    useOnlineSnapshot(snapshot);
    // The repository's own Actions settings (repository-policy), for scanned git checkouts; a token is needed.
    if (online) {
      const token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN || undefined;
      policies = await cliRepositoryPolicies(hosts, token, targets, (target) => configFor(target).config?.policyRepository, note);
    }
  } else {
    useOnlineSnapshot(undefined);
  }
  useDependencies(dependencies);
  // Every file is read before any is analysed, and the workflows and actions that take part in calls inside
  // their repository (actions, reusable workflows, files with a local `uses:`) are parsed then, once: they
  // are each analysis's workspace view (./workspace). The others are parsed when analysed, one at a time,
  // so that their documents never all stay in memory together.
  const reads = new Map<Target, ReadResult>();
  const parsedFiles = new Map<Target, ParsedFile>();
  for (const target of targets) {
    if (target.path === STDIN_PATH) continue;
    const read = readTargetOf(target);
    // The bytes are kept only for --fix (which checks and writes them); the text is enough otherwise.
    reads.set(target, options.fix || !read.ok || !('text' in read) ? read : { ok: true, text: read.text });
    if (!read.ok || !('text' in read)) continue;
    const text = read.text;
    if (target.kind === 'action' || (target.kind === 'workflow' && (text.includes('workflow_call') || mayUseLocal(text)))) {
      const file = parseFile(parsedName(target), target.kind, text);
      if (takesPartInCalls(file)) parsedFiles.set(target, file);
    }
  }
  const workspaces = buildWorkspaces(parsedFiles, io.cwd);
  const results: FileResult[] = [];
  const locks = new LockReader();
  const fixReports: string[] = [];
  let diff = '';
  const escapedDiffs: string[] = [];
  let changedFiles = 0;
  let effectiveMinSeverity = options.minSeverity;
  if (options.fix && online && lockData) {
    // Lockfile style: the entries listed workflows lack are locked first, so the analysis sees the new lock.
    const locked = await lockFixes(targets, lockData, options.dryRun, io.cwd);
    for (const message of locked.errors) note(message);
    for (const result of locked.results) {
      changedFiles++;
      fixReports.push(`${result.displayPath}: ${result.describe}`);
      if (options.dryRun) {
        const report = unifiedDiffReport(result.before, result.after, `a/${result.displayPath}`, `b/${result.displayPath}`);
        diff += report.text;
        if (report.escaped) escapedDiffs.push(result.displayPath);
      }
    }
  }
  for (let target of targets) {
    const choice = configFor(target);
    if (choice.config) usedConfigs.add(choice.config);
    const relative =
      target.path === STDIN_PATH ? target.displayPath : target.virtual ? target.virtual.repoPath : relativeTo(choice.root, target.path);
    const configured = optionsWithConfig(base, choice.config, relative, overrides);
    // The repository's actions.lock (beside the workflows, read only inside the scanned root; for a repository
    // read through the API, its lock as read at the same commit).
    const current = target;
    const workspace = workspaces.get(target);
    const policy = policies.get(target);
    const withPolicy: AnalysisOptions = policy ? { ...configured, views: { ...configured.views, policy: available(policy) } } : configured;
    const withWorkspace: AnalysisOptions = workspace ? { ...withPolicy, views: { ...withPolicy.views, workspace } } : withPolicy;
    const withLock = (text: string | undefined): AnalysisOptions =>
      current.path === STDIN_PATH
        ? withWorkspace
        : {
            ...withWorkspace,
            views: {
              ...withWorkspace.views,
              lock: current.virtual ? virtualLockView(current.virtual, targets, text) : locks.viewFor(current.path, current.rootPath, text),
            },
          };
    let analysisOptions = withLock(undefined);
    effectiveMinSeverity = analysisOptions.minSeverity;
    let read: ReadResult;
    if (target.path === STDIN_PATH) {
      try {
        read = { ok: true, text: decode(await io.readStdin()) };
      } catch (error) {
        read = {
          ok: false,
          error: `cannot read standard input: ${(error as NodeJS.ErrnoException | null)?.code ? describeError(error) : error instanceof Error ? error.message : String(error)}`,
        };
      }
    } else {
      read = reads.get(target) ?? readTargetOf(target);
      reads.delete(target);
    }

    if (target.kindFromContent && read.ok && 'text' in read) {
      const content = kindOfContent(read.text);
      if (content.kind === null) {
        results.push(notAnActionsFileResult(target.displayPath, read.text, content.span));
        continue;
      }
      target = { ...target, kind: content.kind };
    }

    if (options.fix && read.ok && 'text' in read && read.file) {
      const source = read.file;
      // Fixes never touch what an ignore hides, --no-ignores or not.
      const fixed = fixToFixpoint(target, read.text, { ...analysisOptions, keepSuppressed: false }, options.fix);
      if (fixed.text !== read.text) {
        if (!isValidUtf8(source.bytes)) {
          // The text was decoded with U+FFFD for the invalid bytes: writing it back would destroy them.
          errors.push(
            `${target.displayPath}: not fixed: the file is not valid UTF-8, and rewriting it would replace its invalid bytes (convert it to UTF-8, then run again)`,
          );
        } else {
          changedFiles++;
          fixReports.push(`${target.displayPath}: ${fixed.describe}`);
          if (options.dryRun) {
            const report = unifiedDiffReport(read.text, fixed.text, `a/${target.displayPath}`, `b/${target.displayPath}`);
            diff += report.text;
            if (report.escaped) escapedDiffs.push(target.displayPath);
            read = { ok: true, text: fixed.text };
          } else {
            try {
              writeFileWithin(target.root, source, Buffer.from((hasUtf8Bom(source.bytes) ? '\ufeff' : '') + fixed.text, 'utf8'));
              read = { ok: true, text: fixed.text };
            } catch (error) {
              changedFiles--;
              fixReports.pop();
              errors.push(
                `${target.displayPath}: cannot write the fixes: ${error instanceof RefusedError ? error.message : describeError(error)}`,
              );
            }
          }
        }
      }
    }

    if (target.kind === 'lockfile' && read.ok && 'text' in read) analysisOptions = withLock(read.text);
    const result = analyzeTarget(target, read, analysisOptions, parsedFiles.get(target));
    // Kept from here on only by the workspace view, when the file takes part in calls (./workspace).
    parsedFiles.delete(target);
    if ('error' in result) errors.push(result.error);
    else {
      separateSuppressed(result, options.noIgnores);
      // Only the JSON output prints fixes, and the text output says which findings --fix would fix. Settling
      // them now lets each file's parsed document go before the next file is read, instead of every
      // document staying in memory until the report is printed.
      if (options.format === 'text') recordFixability(result);
      settleLazyFixes(result.findings, options.format === 'json' ? 'compute' : 'drop');
      if (result.suppressed) settleLazyFixes(result.suppressed, 'drop');
      results.push(result);
    }
  }
  if (options.fix && targets.some((target) => target.path === STDIN_PATH))
    io.stderr.write(`${TOOL_NAME}: note: standard input is analysed but not fixed\n`);

  // Problems of the configuration files in use, as findings in those files.
  const threshold = SEVERITIES.indexOf(effectiveMinSeverity);
  for (const config of usedConfigs) {
    const findings = configFindings(config).filter((finding) => SEVERITIES.indexOf(finding.severity) >= threshold);
    if (findings.length === 0) continue;
    const fromRepository = remoteConfigs.get(config);
    results.push(
      fromRepository
        ? { path: config.path, kind: 'config', findings, lines: config.lines, ...fromRepository }
        : { path: displayPath(config.path, io.cwd), kind: 'config', findings, lines: config.lines },
    );
  }
  sortResults(results);

  if (options.fix) {
    const verb = options.dryRun ? 'would fix' : 'fixed';
    for (const report of fixReports) io.stderr.write(`${TOOL_NAME}: ${verb} ${escapeText(report)}\n`);
    for (const path of escapedDiffs) {
      io.stderr.write(
        `${TOOL_NAME}: note: the diff of ${escapeText(path)} shows control or bidirectional characters escaped (\\xNN, \\uNNNN); it does not apply as is\n`,
      );
    }
    io.stderr.write(
      `${TOOL_NAME}: ${changedFiles === 0 ? 'nothing to fix' : `${verb} ${changedFiles} ${changedFiles === 1 ? 'file' : 'files'}`}\n`,
    );
  }
  if (options.dryRun) {
    io.stdout.write(diff);
  } else {
    io.stdout.write(
      render(options, io, results, { online, nothingRead: targets.length === 0 && errors.length > 0, origins: remote?.origins ?? [] }),
    );
  }
  if (options.sarifDir !== undefined && remote) {
    const written = writeSarifDir(resolve(io.cwd, options.sarifDir), remote.origins, results);
    errors.push(...written.errors);
    if (written.files.length > 0)
      note(`wrote ${written.files.length} SARIF ${written.files.length === 1 ? 'file' : 'files'} into ${options.sarifDir}`);
  }
  for (const error of errors) io.stderr.write(`${TOOL_NAME}: error: ${escapeText(error)}\n`);
  if (targets.length === 0 && errors.length === 0) {
    const hint =
      ignored > 0 ? ` (${ignored} ${ignored === 1 ? 'entry' : 'entries'} left out by .gitignore files; --collect all includes them)` : '';
    io.stderr.write(
      `${TOOL_NAME}: no workflow, action or Dependabot files found in ${options.paths.length || options.orgs.length ? escapeText([...options.paths, ...options.orgs.map((org) => `--org ${org}`)].join(', ')) : 'the current folder'}${hint}\n`,
    );
  }

  if (errors.length > 0) return EXIT_ERROR;
  const remaining = results.some((result) => result.findings.length > 0);
  const found = options.exitCodes === 'severity' ? severityExitCode(results) : EXIT_FINDINGS;
  if (options.dryRun) return remaining ? found : changedFiles > 0 ? EXIT_FINDINGS : EXIT_OK;
  return remaining ? found : EXIT_OK;
}

/** `--exit-codes severity`: 11 informational, 12 low, 13 medium, 14 high, by the highest severity shown. */
export const SEVERITY_EXIT_CODES: Record<Severity, number> = { informational: 11, low: 12, medium: 13, high: 14 };

function severityExitCode(results: readonly FileResult[]): number {
  let highest = -1;
  for (const result of results) for (const finding of result.findings) highest = Math.max(highest, SEVERITIES.indexOf(finding.severity));
  return highest < 0 ? EXIT_OK : SEVERITY_EXIT_CODES[SEVERITIES[highest]];
}

/**
 * Moves the findings an ignore hides out of `findings`: into `suppressed` (for SARIF), or, with
 * --no-ignores, back among the findings as plain ones.
 */
function separateSuppressed(result: FileResult, noIgnores: boolean): void {
  if (!result.findings.some(isSuppressed)) return;
  if (noIgnores) {
    for (const finding of result.findings) if (isSuppressed(finding)) delete (finding as Partial<SuppressedFinding>).suppression;
    return;
  }
  result.suppressed = result.findings.filter(isSuppressed);
  result.findings = result.findings.filter((finding) => !isSuppressed(finding));
}

/** Which findings `--fix` (`safe`) or only `--fix=all` (`unsafe`) would fix, read before the fixes are dropped. */
function recordFixability(result: FileResult): void {
  const safe = acceptFix('safe');
  const all = acceptFix('all');
  for (const finding of result.findings) {
    const fixes = finding.fixes;
    const fixability = fixes.some(safe) ? 'safe' : fixes.some(all) ? 'unsafe' : undefined;
    if (fixability) (result.fixability ??= new Map()).set(finding, fixability);
    // The text output prints no fix: let them (and what they hold) go now.
    finding.fixes = [];
  }
}

function render(
  options: CliOptions,
  io: CliIo,
  results: FileResult[],
  run: { online: boolean; nothingRead: boolean; origins: readonly RemoteOrigin[] },
): string {
  switch (options.format) {
    case 'json':
      return formatJson(results, {
        persona: options.persona,
        minSeverity: options.minSeverity,
        offline: options.offline,
        online: run.online,
      });
    case 'sarif':
      return formatSarif(results, run.origins);
    case 'github':
      return formatGithub(results);
    default: {
      const color = useColor(options, io);
      return formatText(results, {
        color,
        codeFrame: options.codeFrame && (io.stdout.isTTY === true || options.forceColor),
        hyperlinks: useHyperlinks(options, io),
        summary: !run.nothingRead,
      });
    }
  }
}

/** Which fixes `--fix=<mode>` applies: the preferred one of each finding, safe ones only unless `all`. */
export function acceptFix(mode: FixMode): (fix: Fix) => boolean {
  return mode === 'all' ? (fix) => fix.isPreferred : (fix) => fix.isPreferred && fix.safety === 'safe';
}

/** Applies fixes, re-analysing after each round, until nothing changes (bounded). */
export function fixToFixpoint(
  target: Pick<Target, 'displayPath' | 'kind'>,
  text: string,
  options: AnalysisOptions,
  mode: FixMode,
): { text: string; describe: string } {
  const accept = acceptFix(mode);
  const fixedRules = new Map<string, number>();
  let current = text;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const { findings } = analyzeText(target.displayPath, target.kind, current, options);
    const edits = fixAllEdits(findings, accept);
    if (edits.length === 0) break;
    const next = applyEdits(current, edits);
    if (next === current) break;
    const after = new Set(
      analyzeText(target.displayPath, target.kind, next, options).findings.map((finding) => `${finding.ruleId}\0${finding.message}`),
    );
    for (const finding of findings) {
      if (finding.fixes.some(accept) && !after.has(`${finding.ruleId}\0${finding.message}`))
        fixedRules.set(finding.ruleId, (fixedRules.get(finding.ruleId) ?? 0) + 1);
    }
    current = next;
  }
  const total = [...fixedRules.values()].reduce((sum, count) => sum + count, 0);
  const detail = [...fixedRules].map(([rule, count]) => (count > 1 ? `${rule} ×${count}` : rule)).join(', ');
  return { text: current, describe: `${total} ${total === 1 ? 'finding' : 'findings'}${detail ? ` (${detail})` : ''}` };
}

function useColor(options: CliOptions, io: CliIo): boolean {
  if (options.forceColor) return true;
  if (!options.color || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '')) return false;
  return io.stdout.isTTY === true;
}

/**
 * Whether rule ids are written as OSC 8 hyperlinks: only on a terminal (never into a file, a pipe or a CI
 * log, even with --color), never with --no-color or NO_COLOR, and not on terminals known to print the
 * sequence instead of obeying or ignoring it (TERM=dumb, the Linux console). Elsewhere the documentation
 * URL is written out, once per rule.
 */
export function useHyperlinks(options: Pick<CliOptions, 'color'>, io: Pick<CliIo, 'env' | 'stdout'>): boolean {
  const env = io.env;
  if (!options.color || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (io.stdout.isTTY !== true) return false;
  if (isCi(env)) return false;
  const term = env.TERM ?? '';
  return term !== 'dumb' && term !== 'linux';
}

/** Whether we run in a CI service (their logs show escape sequences as text or strip them). */
function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return true;
  return ['GITHUB_ACTIONS', 'BUILDKITE', 'TF_BUILD', 'GITLAB_CI', 'JENKINS_URL', 'TEAMCITY_VERSION', 'CIRCLECI'].some((name) =>
    Boolean(env[name]),
  );
}

/** Whether something (a file, a folder, a link, even a broken one) is at `path`: such an argument is a path. */
function existsOnDisk(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs with the real process; returns the exit code (the entry point sets it). */
export function main(argv: readonly string[]): Promise<number> {
  return run(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin,
  });
}

/** All of standard input; a folder (`< dir`) or a closed descriptor is an error, not an empty input. */
async function readStdin(): Promise<Uint8Array> {
  if (fstatSync(0).isDirectory()) throw Object.assign(new Error('standard input is a folder'), { code: 'EISDIR' });
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
