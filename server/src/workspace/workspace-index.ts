/**
 * The language server's index of the workspace: which Actions files (workflows, action metadata,
 * Dependabot files and whatever else the file-kind classifier knows) and configuration files the
 * workspace folders hold, found with the CLI's own collection rules (files/walk.ts: `node_modules` and
 * `.git` skipped, no symbolic link followed out of the folder; cli/gitignore.ts: what `.gitignore` files
 * exclude; cli/discover.ts `collectedKind`). Files are read only inside their workspace folder
 * (cli/results.ts `readTarget`), and an open document always wins over its disk copy.
 *
 * The index keeps, per file, only its path, kind and repository; parsed files live in a cache bounded by
 * their text size (PARSE_BUDGET_CHARS), so a huge workspace does not keep every parse forever. The
 * workspace view an analysis gets (views.ts `WorkspaceView`) reads that cache lazily and records what it
 * was asked for, so that when a file changes exactly the analyses that read it (or listed the files)
 * are re-run: see `dependents`.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { collectedKind } from '../cli/discover';
import { GitignoreCollector } from '../cli/gitignore';
import { readTarget, type ReadResult } from '../cli/results';
import { configFormatOf } from '../config/find-config';
import { isInside, realPathOrNull } from '../files/confined';
import { SKIPPED_DIRECTORIES, walkFolder } from '../files/walk';
import { ParsedFile, type FileKind } from '../parse/document';
import { available, unavailable, type View, type WorkspaceView } from '../views';

/** What the index holds: an Actions file of a kind the classifier knows, or a configuration file. */
export type IndexedKind = Exclude<FileKind, 'unknown'> | 'config';

/** At most this many files are indexed per workspace (the rest are analysed when opened). */
export const MAX_INDEXED_FILES = 20_000;

/** Parsed files are kept while their texts add up to at most this many characters (about 15 bytes of heap each). */
export const PARSE_BUDGET_CHARS = 4 * 1024 * 1024;

export interface IndexedFile {
  /** File-system path, as walked (under its workspace folder as given). */
  readonly path: string;
  /** The URI its diagnostics are published under (the editor's own URI once the file was opened). */
  uri: string;
  readonly kind: IndexedKind;
  /** Real path of the workspace folder it was found in: it is read only inside it. */
  readonly root: string;
  /** Its repository's folder (see `repositoryOf`). */
  readonly repo: string;
  /** Path relative to `repo`, with `/` separators. */
  readonly rel: string;
}

/** An open document, as the index sees it. */
export interface OpenText {
  uri: string;
  version: number;
  text: string;
}

export interface WorkspaceHost {
  /** The open document at this file-system path, or undefined when it is not open. */
  openDocument(path: string): OpenText | undefined;
}

/** What one analysis read through its workspace view. */
interface Dependencies {
  repo: string;
  /** Paths (relative to `repo`) it looked up, present or not. */
  rels: Set<string>;
  /** It listed the files (keys, size): an added or removed file may change its findings. */
  membership: boolean;
  /** It read every file (values, entries, iteration). */
  all: boolean;
}

interface Root {
  /** As given (a path from the workspace folder URI). */
  path: string;
  real: string;
  gitignore: GitignoreCollector;
}

/** The file-system path of a `file:` URI, or null for other schemes (untitled, virtual workspaces). */
export function fileUriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

/** The plain folders (not links) directly inside `folder`, in name order. */
function topFolders(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(folder, entry.name))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    return [];
  }
}

function isPlainFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

export class WorkspaceIndex {
  private roots: Root[] = [];
  private readonly files = new Map<string, IndexedFile>();
  /** Repository folder → path relative to it → file-system path. */
  private readonly repos = new Map<string, Map<string, string>>();
  private readonly repoOfFolder = new Map<string, string>();
  /** Least recently used first. */
  private readonly parsed = new Map<string, { signature: string; file: ParsedFile }>();
  private parsedChars = 0;
  private readonly dependencies = new Map<string, Dependencies>();
  /** Analyses that asked for the workspace view before the first scan finished (they are re-run after it). */
  private readonly askedEarly = new Set<string>();
  scanned = false;
  truncated = false;

  constructor(
    private readonly host: WorkspaceHost,
    private readonly parseBudget = PARSE_BUDGET_CHARS,
  ) {}

  /** Sets the workspace folders (URIs; those that are not `file:` URIs are left out) and forgets the index. */
  setRoots(uris: readonly string[]): void {
    this.roots = [];
    for (const uri of uris) {
      const path = fileUriToPath(uri);
      const real = path === null ? null : realPathOrNull(path);
      if (path !== null && real !== null) this.roots.push({ path, real, gitignore: new GitignoreCollector(path, real) });
    }
    this.files.clear();
    this.repos.clear();
    this.repoOfFolder.clear();
    this.clearParsed();
    this.scanned = false;
  }

  get hasRoots(): boolean {
    return this.roots.length > 0;
  }

  get size(): number {
    return this.files.size;
  }

  all(): IterableIterator<IndexedFile> {
    return this.files.values();
  }

  get(path: string): IndexedFile | undefined {
    return this.files.get(path);
  }

  byUri(uri: string): IndexedFile | undefined {
    const path = fileUriToPath(uri);
    return path === null ? undefined : this.files.get(path);
  }

  /**
   * Walks the workspace folders (again) with the CLI's collection rules and returns what appeared and
   * what disappeared since the last scan. `.gitignore` files are read afresh.
   */
  scan(): { added: IndexedFile[]; removed: IndexedFile[] } {
    const steps = this.scanSteps();
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /** `scan`, letting other work in between the top-level folders of each workspace folder. */
  async scanAsync(): Promise<{ added: IndexedFile[]; removed: IndexedFile[] }> {
    const steps = this.scanSteps();
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * The walk of `scan`, yielding after each folder walked. Each plain folder at the top of a workspace
   * folder is walked on its own (one step each), then the workspace folder itself without them: its own
   * files and the symbolic links in it, which the walker follows only while they stay inside it. A folder
   * walked once is not walked again (shared `visited`), so every file is found under its own path.
   */
  private *scanSteps(): Generator<void, { added: IndexedFile[]; removed: IndexedFile[] }, void> {
    const before = new Map(this.files);
    const found = new Set<string>();
    const added: IndexedFile[] = [];
    const visited = new Set<string>();
    this.truncated = false;
    this.repoOfFolder.clear();
    const collect = (root: Root, start: string, skipTopFolders: boolean) => {
      const walked = walkFolder(start, {
        accept: (path) => this.kindIn(root, path) !== null,
        ignore: (path, isDirectory) =>
          (skipTopFolders && isDirectory && dirname(path) === root.path && isPlainFolder(path)) ||
          root.gitignore.ignores(path, isDirectory),
        maxFiles: MAX_INDEXED_FILES - found.size,
        visited,
      });
      if (walked.truncated) this.truncated = true;
      for (const path of walked.files) {
        found.add(path);
        if (this.files.has(path)) continue;
        const file = this.add(root, path);
        if (file) added.push(file);
      }
    };
    for (const root of this.roots) {
      root.gitignore = new GitignoreCollector(root.path, root.real);
      for (const folder of topFolders(root.path)) {
        if (found.size >= MAX_INDEXED_FILES) break;
        if (SKIPPED_DIRECTORIES.has(basename(folder)) || root.gitignore.ignores(folder, true)) continue;
        collect(root, folder, false);
        yield;
      }
      if (found.size < MAX_INDEXED_FILES) collect(root, root.path, true);
      yield;
    }
    const removed: IndexedFile[] = [];
    for (const [path, file] of before) {
      if (found.has(path) || this.host.openDocument(path)) continue;
      this.remove(path);
      removed.push(file);
    }
    this.scanned = true;
    return { added, removed };
  }

  /** Analyses that asked for the view before the first scan (and got "not indexed"); the set is emptied. */
  takeAskedEarly(): string[] {
    const paths = [...this.askedEarly];
    this.askedEarly.clear();
    return paths;
  }

  /**
   * A file created or changed on disk, or opened: indexed when it is inside a workspace folder, of a kind
   * the index holds and not excluded by the collection rules. Returns the file and whether it is new.
   */
  track(path: string): { file: IndexedFile; added: boolean } | null {
    const existing = this.files.get(path);
    this.invalidate(path);
    if (existing) return { file: existing, added: false };
    const root = this.rootOf(path);
    if (!root || this.kindIn(root, path) === null || this.excluded(root, path)) return null;
    const file = this.add(root, path);
    return file ? { file, added: true } : null;
  }

  /** Forgets a file, or every file under a folder; returns what was indexed there. */
  untrack(path: string): IndexedFile[] {
    const removed: IndexedFile[] = [];
    const file = this.files.get(path);
    if (file) removed.push(file);
    else {
      const prefix = path.endsWith(sep) ? path : path + sep;
      for (const [candidate, indexed] of this.files) if (candidate.startsWith(prefix)) removed.push(indexed);
    }
    for (const gone of removed) this.remove(gone.path);
    return removed;
  }

  /** Drops the parse of a file (its text changed). */
  invalidate(path: string): void {
    const cached = this.parsed.get(path);
    if (!cached) return;
    this.parsedChars -= cached.file.text.length;
    this.parsed.delete(path);
  }

  /** Reads a file's disk copy inside its workspace folder (bounded: see cli/results.ts). */
  readDisk(file: IndexedFile): ReadResult {
    return readTarget(file.path, file.root);
  }

  /** The parsed file of an indexed Actions file: the open document's text when it is open, else the disk's; undefined when unreadable. */
  parsedFile(file: IndexedFile): ParsedFile | undefined {
    if (file.kind === 'config') return undefined;
    const open = this.host.openDocument(file.path);
    const signature = open ? `open:${open.version}` : 'disk';
    const cached = this.parsed.get(file.path);
    if (cached && cached.signature === signature) {
      this.parsed.delete(file.path);
      this.parsed.set(file.path, cached);
      return cached.file;
    }
    let text: string;
    if (open) text = open.text;
    else {
      const read = this.readDisk(file);
      if (!read.ok || !('text' in read)) return undefined;
      text = read.text;
    }
    const parsed = new ParsedFile(open?.uri ?? file.uri, file.kind, text, open?.version ?? 0);
    this.remember(file.path, signature, parsed);
    return parsed;
  }

  /** Keeps a disk parse for the workspace views (the analysis of an unopened file made it anyway). */
  rememberDisk(file: IndexedFile, parsed: ParsedFile): void {
    if (!this.host.openDocument(file.path)) this.remember(file.path, 'disk', parsed);
  }

  private remember(path: string, signature: string, file: ParsedFile): void {
    this.invalidate(path);
    if (file.text.length > this.parseBudget) return;
    this.parsed.set(path, { signature, file });
    this.parsedChars += file.text.length;
    for (const [oldest, entry] of this.parsed) {
      if (this.parsedChars <= this.parseBudget) break;
      this.parsed.delete(oldest);
      this.parsedChars -= entry.file.text.length;
    }
  }

  private clearParsed(): void {
    this.parsed.clear();
    this.parsedChars = 0;
  }

  /** How many parsed files are kept, and their text in characters (for the benchmark and tests). */
  parsedStats(): { files: number; chars: number } {
    return { files: this.parsed.size, chars: this.parsedChars };
  }

  /**
   * The workspace view of the document at `uri`: the other Actions files of its repository, parsed when
   * read. Unavailable ('not-indexed') outside the workspace folders and before the first scan. What the
   * analysis reads through it is recorded (replacing what its previous analysis read).
   */
  viewFor(uri: string): View<WorkspaceView> {
    const path = fileUriToPath(uri);
    const root = path === null ? undefined : this.rootOf(path);
    if (path === null || !root) return unavailable('not-indexed');
    if (!this.scanned) {
      this.askedEarly.add(path);
      return unavailable('not-indexed', 'the workspace is being indexed');
    }
    const repo = this.repositoryOf(root, path);
    const recorded: Dependencies = { repo, rels: new Set(), membership: false, all: false };
    this.dependencies.set(path, recorded);
    return available({
      root: pathToFileURL(repo).href,
      files: new LazyFiles(this, this.repos.get(repo), path, recorded),
      complete: !this.truncated,
    });
  }

  /** Forgets what the analysis of a file read (it closed and is no longer analysed, or it was deleted). */
  forgetDependencies(path: string): void {
    this.dependencies.delete(path);
  }

  /**
   * The files whose last analysis read `changed` through its workspace view (by path, present or not),
   * read every file, or — when `membership` (a file appeared or disappeared) — listed the files.
   */
  dependents(changed: IndexedFile, membership: boolean): string[] {
    const found: string[] = [];
    for (const [path, recorded] of this.dependencies) {
      if (path === changed.path || recorded.repo !== changed.repo) continue;
      if (recorded.all || recorded.rels.has(changed.rel) || (membership && recorded.membership)) found.push(path);
    }
    return found;
  }

  private rootOf(path: string): Root | undefined {
    // The innermost folder wins when workspace folders are nested.
    let best: Root | undefined;
    for (const root of this.roots) {
      if (
        (path === root.path || path.startsWith(root.path.endsWith(sep) ? root.path : root.path + sep)) &&
        (!best || root.path.length > best.path.length)
      )
        best = root;
    }
    return best;
  }

  private kindIn(root: Root, path: string): IndexedKind | null {
    const rel = toSlashes(relative(root.path, path));
    const kind = collectedKind(rel);
    if (kind) return kind;
    return configFormatOf(rel) !== null && !rel.split('/').some((part) => SKIPPED_DIRECTORIES.has(part)) ? 'config' : null;
  }

  /** Whether a `.gitignore` excludes the path or one of its folders (as the walk would have decided). */
  private excluded(root: Root, path: string): boolean {
    const parts = relative(root.path, path).split(sep);
    let current = root.path;
    for (let index = 0; index < parts.length; index++) {
      current = join(current, parts[index]);
      if (root.gitignore.ignores(current, index < parts.length - 1)) return true;
    }
    return false;
  }

  /**
   * The repository a file belongs to: its nearest folder, up to the workspace folder, holding `.git` or
   * `.github` (so a workspace folder holding several repositories gives each its own view), else the
   * workspace folder.
   */
  private repositoryOf(root: Root, path: string): string {
    const start = dirname(path);
    let folder = start;
    const walked: string[] = [];
    let repo = root.path;
    for (;;) {
      const known = this.repoOfFolder.get(folder);
      if (known !== undefined) {
        repo = known;
        break;
      }
      walked.push(folder);
      if (existsSync(join(folder, '.git')) || existsSync(join(folder, '.github'))) {
        repo = folder;
        break;
      }
      const parent = dirname(folder);
      if (folder === root.path || parent === folder || !isInside(root.path, parent)) break;
      folder = parent;
    }
    for (const each of walked) this.repoOfFolder.set(each, repo);
    return repo;
  }

  private add(root: Root, path: string): IndexedFile | null {
    const kind = this.kindIn(root, path);
    if (kind === null) return null;
    const repo = this.repositoryOf(root, path);
    const file: IndexedFile = {
      path,
      uri: this.host.openDocument(path)?.uri ?? pathToFileURL(path).href,
      kind,
      root: root.real,
      repo,
      rel: toSlashes(relative(repo, path)),
    };
    this.files.set(path, file);
    let members = this.repos.get(repo);
    if (!members) this.repos.set(repo, (members = new Map()));
    members.set(file.rel, path);
    return file;
  }

  private remove(path: string): void {
    const file = this.files.get(path);
    if (!file) return;
    this.files.delete(path);
    this.repos.get(file.repo)?.delete(file.rel);
    this.invalidate(path);
    this.dependencies.delete(path);
  }
}

/**
 * The `files` of a workspace view: the repository's indexed Actions files except the analysed one,
 * parsed on first read (configuration files are not part of it). Records what is read.
 */
class LazyFiles implements ReadonlyMap<string, ParsedFile> {
  constructor(
    private readonly index: WorkspaceIndex,
    private readonly members: ReadonlyMap<string, string> | undefined,
    private readonly self: string,
    private readonly recorded: Dependencies,
  ) {}

  private pathOf(rel: string): string | undefined {
    const path = this.members?.get(rel);
    if (path === undefined || path === this.self) return undefined;
    const file = this.index.get(path);
    return file && file.kind !== 'config' ? path : undefined;
  }

  private *paths(): Generator<[string, string]> {
    for (const [rel, path] of this.members ?? []) if (this.pathOf(rel) !== undefined) yield [rel, path];
  }

  get(rel: string): ParsedFile | undefined {
    this.recorded.rels.add(rel);
    const path = this.pathOf(rel);
    const file = path === undefined ? undefined : this.index.get(path);
    return file ? this.index.parsedFile(file) : undefined;
  }

  has(rel: string): boolean {
    this.recorded.rels.add(rel);
    return this.pathOf(rel) !== undefined;
  }

  get size(): number {
    this.recorded.membership = true;
    let count = 0;
    for (const _ of this.paths()) count++;
    return count;
  }

  *keys(): MapIterator<string> {
    this.recorded.membership = true;
    for (const [rel] of this.paths()) yield rel;
  }

  *entries(): MapIterator<[string, ParsedFile]> {
    this.recorded.all = true;
    for (const [rel, path] of this.paths()) {
      const file = this.index.get(path);
      const parsed = file && this.index.parsedFile(file);
      if (parsed) yield [rel, parsed];
    }
  }

  *values(): MapIterator<ParsedFile> {
    for (const [, parsed] of this.entries()) yield parsed;
  }

  [Symbol.iterator](): MapIterator<[string, ParsedFile]> {
    return this.entries();
  }

  forEach(callback: (value: ParsedFile, key: string, map: ReadonlyMap<string, ParsedFile>) => void, thisArg?: unknown): void {
    for (const [rel, parsed] of this.entries()) callback.call(thisArg, parsed, rel, this);
  }
}
