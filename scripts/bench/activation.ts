/**
 * The `activation` section of `npm run bench`: how long the VS Code extension takes to start, measured
 * outside VS Code, in fresh Node processes (one unmeasured warm-up for the file cache, then `runs` measured).
 *
 * Each process loads a minimal stub of the `vscode` API (injected as the `vscode` module through a
 * `Module._load` hook), then `require`s the real dist/extension.js and awaits its `activate(context)`. That
 * starts the real vscode-languageclient, which forks the real dist/server.js over IPC, exchanges
 * `initialize`/`initialized` and registers its features against the stub. Measured in the child:
 *   - require: `require('dist/extension.js')` (bundle parse + vscode-languageclient's module init);
 *   - activate() returned: the synchronous part of `activate` (output channel, status bar, language client,
 *     commands) until it hands back its promise;
 *   - server forked / initialize answered: from the `activate` call until `child_process.fork` of
 *     dist/server.js and until the server's `initialize` response reached the client process (observed
 *     with an extra, passive `message` listener on the forked process);
 *   - activate() resolved: until `activate`'s promise resolved, i.e. `client.start()` finished (the client
 *     is running) and the GitHub session restore (a no-op here: never signed in);
 *   - deactivate(): `client.stop()` (shutdown + exit of the server).
 * Not measured: VS Code's own extension-host overhead (scanning, the activation event, the real API's cost).
 * The extension logs its own timing in real VS Code ("Activated in N ms; … ready in M ms"), which the
 * end-to-end suite asserts and prints.
 *
 * The child's code is `activationChild` below, serialised with `Function.prototype.toString()` into
 * .bench/build/activation-runner.cjs: it must stay self-contained (no imports, only `require` inside).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

interface ChildConfig {
  root: string;
  extension: string;
  storage: string;
  /** contributes.configuration defaults from package.json, by full key (actionsWarden.persona, …). */
  defaults: Record<string, unknown>;
  /** What @types/vscode declares: every class and namespace name, every enum with its values. */
  declarations: VscodeDeclarations;
}

interface VscodeDeclarations {
  classes: string[];
  namespaces: string[];
  enums: Record<string, Record<string, number | string>>;
}

interface ChildReport {
  requireMs: number;
  activateReturnedMs: number;
  forkMs: number | null;
  initializeAnsweredMs: number | null;
  activatedMs: number;
  deactivateMs: number;
  /** The extension's own activation log line, when it wrote one. */
  logLine: string | null;
  serverInfo: string | null;
  /**
   * What the stub answered without implementing it: namespace members the stub lacks (a permissive fallback)
   * and `new X()` of a class it declares but does not implement. Empty when activation needed nothing more.
   */
  fallbacks: string[];
  errors: string[];
}

export interface ActivationRun extends ChildReport {
  /** Fresh process, spawn → exit (Node start-up, require, activate, deactivate, exit), measured by the bench. */
  processMs: number;
}

export interface ActivationSummary {
  median: number;
  max: number;
}

export interface ActivationResult {
  runs: number;
  extension: string;
  measured: ActivationRun[];
  failures: string[];
  fallbacks: string[];
  require: ActivationSummary;
  activateReturned: ActivationSummary;
  fork: ActivationSummary;
  initializeAnswered: ActivationSummary;
  activated: ActivationSummary;
  requirePlusActivated: ActivationSummary;
  deactivate: ActivationSummary;
  process: ActivationSummary;
  /** The extension's own log line from the last run. */
  logLine: string | null;
  serverInfo: string | null;
}

const MARKER = 'AW_ACTIVATION_REPORT ';

/** Runs in the child process (serialised to source): stubs `vscode`, requires and activates the extension. */
async function activationChild(config: ChildConfig): Promise<ChildReport> {
  /* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
  const Module = require('node:module');
  const childProcess = require('node:child_process');
  const nodePath = require('node:path');
  const nodeUrl = require('node:url');
  // Not the module's `performance` import: this function runs as source text in another process.
  const clock = require('node:perf_hooks').performance;
  const now = (): number => clock.now();
  const fallbacks = new Set<string>();
  const errors: string[] = [];
  const marks: { fork?: number; initialize?: number } = {};
  const lines: { level: string; text: string }[] = [];

  // ---------------------------------------------------------------- the vscode stub
  class Disposable {
    private callback: (() => void) | undefined;
    constructor(callback?: () => void) {
      this.callback = callback;
    }
    static from(...items: { dispose?: () => unknown }[]): Disposable {
      return new Disposable(() => items.forEach((item) => item?.dispose?.()));
    }
    dispose(): void {
      const callback = this.callback;
      this.callback = undefined;
      callback?.();
    }
  }
  class EventEmitter {
    private readonly listeners = new Set<(value: unknown) => void>();
    readonly event = (listener: (value: unknown) => void, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
      const bound = (value: unknown) => listener.call(thisArg, value);
      this.listeners.add(bound);
      const disposable = new Disposable(() => this.listeners.delete(bound));
      if (Array.isArray(disposables)) disposables.push(disposable);
      return disposable;
    };
    fire(value?: unknown): void {
      for (const listener of [...this.listeners]) listener(value);
    }
    dispose(): void {
      this.listeners.clear();
    }
  }
  const noEvent = new EventEmitter().event;
  class Uri {
    constructor(
      readonly scheme: string,
      readonly authority: string,
      readonly path: string,
      readonly query = '',
      readonly fragment = '',
    ) {}
    static file(fsPath: string): Uri {
      return Uri.parse(nodeUrl.pathToFileURL(fsPath).href);
    }
    static parse(value: string): Uri {
      const url = new URL(value);
      return new Uri(
        url.protocol.replace(/:$/, ''),
        url.host,
        decodeURIComponent(url.pathname),
        url.search.replace(/^\?/, ''),
        url.hash.replace(/^#/, ''),
      );
    }
    static joinPath(base: Uri, ...parts: string[]): Uri {
      return new Uri(base.scheme, base.authority, nodePath.posix.join(base.path, ...parts), base.query, base.fragment);
    }
    get fsPath(): string {
      return this.scheme === 'file' ? nodeUrl.fileURLToPath(this.toString()) : this.path;
    }
    with(change: Partial<{ scheme: string; authority: string; path: string; query: string; fragment: string }>): Uri {
      return new Uri(
        change.scheme ?? this.scheme,
        change.authority ?? this.authority,
        change.path ?? this.path,
        change.query ?? this.query,
        change.fragment ?? this.fragment,
      );
    }
    toString(): string {
      return `${this.scheme}://${this.authority}${encodeURI(this.path)}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
    }
    toJSON(): unknown {
      return { $mid: 1, scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
    }
  }
  class MarkdownString {
    value: string;
    isTrusted: unknown;
    supportThemeIcons: boolean;
    supportHtml = false;
    constructor(value = '', supportThemeIcons = false) {
      this.value = value;
      this.supportThemeIcons = supportThemeIcons;
    }
    appendMarkdown(text: string): this {
      this.value += text;
      return this;
    }
    appendText(text: string): this {
      this.value += text;
      return this;
    }
    appendCodeblock(code: string, language = ''): this {
      this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
      return this;
    }
  }
  class ThemeColor {
    constructor(readonly id: string) {}
  }
  class CodeActionKind {
    constructor(readonly value: string) {}
    append(part: string): CodeActionKind {
      return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
    }
    contains(other: CodeActionKind): boolean {
      return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
    }
    intersects(other: CodeActionKind): boolean {
      return this.contains(other) || other.contains(this);
    }
    static readonly Empty = new CodeActionKind('');
    static readonly QuickFix = new CodeActionKind('quickfix');
    static readonly Refactor = new CodeActionKind('refactor');
    static readonly RefactorExtract = new CodeActionKind('refactor.extract');
    static readonly RefactorInline = new CodeActionKind('refactor.inline');
    static readonly RefactorMove = new CodeActionKind('refactor.move');
    static readonly RefactorRewrite = new CodeActionKind('refactor.rewrite');
    static readonly Source = new CodeActionKind('source');
    static readonly SourceOrganizeImports = new CodeActionKind('source.organizeImports');
    static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  }
  class CancellationTokenSource {
    private readonly emitter = new EventEmitter();
    readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
    cancel(): void {
      if (this.token.isCancellationRequested) return;
      this.token.isCancellationRequested = true;
      this.emitter.fire(undefined);
    }
    dispose(): void {
      this.emitter.dispose();
    }
  }

  /** Anything the stub does not implement: callable, constructible, every property another fallback; recorded. */
  const permissive = (name: string): any => {
    fallbacks.add(name);
    const target = function () {} as any;
    return new Proxy(target, {
      get(_target, property) {
        if (property === 'then' || typeof property === 'symbol' || property === '__esModule') return undefined;
        if (property === 'prototype') return target.prototype;
        return permissive(`${name}.${property}`);
      },
      apply: () => {
        fallbacks.add(`${name}()`);
        return new Disposable();
      },
      construct: () => {
        fallbacks.add(`new ${name}()`);
        return {};
      },
    });
  };
  /** A namespace: explicit members first; `on…` events, `register…` providers, else a recorded fallback. */
  const namespace = (name: string, members: Record<string, unknown>): any =>
    new Proxy(members, {
      get(target, property) {
        if (typeof property === 'symbol' || property === 'then' || property === '__esModule') return undefined;
        if (property in target) return target[property];
        if (/^on[A-Z]/.test(property)) return noEvent;
        if (/^register[A-Z]/.test(property)) return () => new Disposable();
        return permissive(`${name}.${property}`);
      },
    });

  const defaults = config.defaults;
  /** The defaults under `prefix` (ending in a dot) as a nested object: { persona: …, github: { apiUrl: … } }. */
  const nestedUnder = (prefix: string): Record<string, unknown> => {
    const nested: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(defaults)) {
      if (!name.startsWith(prefix)) continue;
      let cursor = nested;
      const parts = name.slice(prefix.length).split('.');
      for (const part of parts.slice(0, -1)) cursor = (cursor[part] ??= {}) as Record<string, unknown>;
      cursor[parts[parts.length - 1]] = value;
    }
    return nested;
  };
  const configuration = (section: string | undefined): any => {
    const prefix = section ? `${section}.` : '';
    const get = (key: string, fallback?: unknown): unknown => {
      const full = prefix + key;
      if (full in defaults) return defaults[full];
      const nested = nestedUnder(`${full}.`);
      return Object.keys(nested).length > 0 ? nested : fallback;
    };
    // Like VS Code's: the section's values as own properties (what JSON.stringify sends), plus the methods.
    return Object.assign(Object.create(null), section ? nestedUnder(prefix) : {}, {
      get,
      has: (key: string) => get(key) !== undefined,
      inspect: (key: string) => ({ key: prefix + key, defaultValue: get(key) }),
      update: async () => undefined,
    });
  };

  const outputChannel = (name: string): any => {
    const write =
      (level: string) =>
      (...args: unknown[]) => {
        lines.push({
          level,
          text: args.map((arg) => (typeof arg === 'string' ? arg : arg instanceof Error ? arg.message : JSON.stringify(arg))).join(' '),
        });
      };
    return {
      name,
      logLevel: 3, // LogLevel.Info
      onDidChangeLogLevel: noEvent,
      append: write('append'),
      appendLine: write('append'),
      replace: write('append'),
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      clear() {},
      show() {},
      hide() {},
      dispose() {},
    };
  };

  /** A class @types/vscode declares but the stub does not implement (vscode-languageclient subclasses several). */
  const declaredClass = (name: string) =>
    class {
      constructor() {
        fallbacks.add(`new ${name}()`);
      }
    };
  const declared: Record<string, unknown> = {};
  for (const name of config.declarations.classes) declared[name] = declaredClass(name);
  for (const name of config.declarations.namespaces) declared[name] = namespace(name, {});
  Object.assign(declared, config.declarations.enums);

  const commands = new Map<string, (...args: unknown[]) => unknown>();
  // Own properties matter: TypeScript's __importStar (vscode-languageclient) copies only those.
  const vscode = namespace('vscode', {
    ...declared,
    version: '1.91.0',
    Disposable,
    EventEmitter,
    Uri,
    MarkdownString,
    ThemeColor,
    CodeActionKind,
    CancellationTokenSource,
    window: namespace('window', {
      activeTextEditor: undefined,
      visibleTextEditors: [],
      tabGroups: { all: [], activeTabGroup: undefined, onDidChangeTabs: noEvent, onDidChangeTabGroups: noEvent },
      createOutputChannel: outputChannel,
      createStatusBarItem: (id: string, alignment?: number, priority?: number) => ({
        id,
        alignment,
        priority,
        text: '',
        show() {},
        hide() {},
        dispose() {},
      }),
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      withProgress: async (_options: unknown, task: (progress: unknown, token: unknown) => unknown) =>
        task({ report() {} }, new CancellationTokenSource().token),
    }),
    workspace: namespace('workspace', {
      workspaceFolders: undefined,
      textDocuments: [],
      notebookDocuments: [],
      isTrusted: true,
      getConfiguration: configuration,
      getWorkspaceFolder: () => undefined,
      asRelativePath: (value: string | Uri) => (typeof value === 'string' ? value : value.path),
      createFileSystemWatcher: () => ({ onDidCreate: noEvent, onDidChange: noEvent, onDidDelete: noEvent, dispose() {} }),
      applyEdit: async () => true,
    }),
    languages: namespace('languages', {
      match: () => 0,
      getDiagnostics: () => [],
      createDiagnosticCollection: (name: string) => {
        const entries = new Map<string, unknown>();
        return {
          name,
          set: (uri: Uri, value: unknown) => entries.set(String(uri), value),
          delete: (uri: Uri) => entries.delete(String(uri)),
          clear: () => entries.clear(),
          get: (uri: Uri) => entries.get(String(uri)),
          has: (uri: Uri) => entries.has(String(uri)),
          forEach() {},
          dispose: () => entries.clear(),
        };
      },
    }),
    commands: namespace('commands', {
      registerCommand: (id: string, callback: (...args: unknown[]) => unknown) => {
        commands.set(id, callback);
        return new Disposable(() => commands.delete(id));
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)?.(...args),
      getCommands: async () => [...commands.keys()],
    }),
    authentication: namespace('authentication', { getSession: async () => undefined }),
    env: namespace('env', {
      appName: 'vscode stub (Actions Warden bench)',
      appRoot: config.root,
      language: 'en',
      machineId: 'bench',
      sessionId: 'bench',
      uriScheme: 'vscode',
      openExternal: async () => true,
    }),
  });

  const originalLoad = Module._load;
  Module._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return vscode;
    return originalLoad.call(this, request, ...rest);
  };
  // Observe (never change) the server process the language client forks.
  const originalFork = childProcess.fork;
  childProcess.fork = function (...args: unknown[]) {
    marks.fork = now();
    const child = originalFork.apply(this, args);
    child.on('message', (message: any) => {
      if (marks.initialize === undefined && message && message.result && message.result.capabilities) marks.initialize = now();
    });
    return child;
  };

  // ---------------------------------------------------------------- the measurement
  const memento = () => {
    const values = new Map<string, unknown>();
    return {
      get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
      update: async (key: string, value: unknown) => void values.set(key, value),
      keys: () => [...values.keys()],
      setKeysForSync() {},
    };
  };
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    extensionPath: config.root,
    extensionUri: Uri.file(config.root),
    extensionMode: 1,
    asAbsolutePath: (relative: string) => nodePath.join(config.root, relative),
    globalState: memento(),
    workspaceState: memento(),
    globalStorageUri: Uri.file(config.storage),
    globalStoragePath: config.storage,
    logUri: Uri.file(nodePath.join(config.storage, 'log')),
    storageUri: undefined,
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: noEvent },
  };

  const t0 = now();
  const extension = require(config.extension);
  const required = now();
  const promise = extension.activate(context);
  const returned = now();
  const api = await promise;
  const activated = now();
  const info = api?.client?.initializeResult?.serverInfo;
  const stopping = now();
  try {
    await extension.deactivate?.();
  } catch (error) {
    errors.push(`deactivate: ${String(error)}`);
  }
  const stopped = now();
  for (const disposable of context.subscriptions) {
    try {
      disposable.dispose();
    } catch {
      // a stubbed subscription
    }
  }
  const since = (mark: number | undefined) => (mark === undefined ? null : mark - required);
  const logLine = lines.find((line) => /^Activated in \d+ ms/.test(line.text))?.text ?? null;
  for (const line of lines) if (line.level === 'error' || line.level === 'warn') errors.push(`${line.level}: ${line.text}`);
  return {
    requireMs: required - t0,
    activateReturnedMs: returned - required,
    forkMs: since(marks.fork),
    initializeAnsweredMs: since(marks.initialize),
    activatedMs: activated - required,
    deactivateMs: stopped - stopping,
    logLine,
    serverInfo: info ? `${info.name} ${info.version ?? ''}`.trim() : null,
    fallbacks: [...fallbacks].sort(),
    errors,
  };
  /* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
}

/** Class, namespace and enum names (with values) of @types/vscode: the stub's shape, so nothing is missing. */
function vscodeDeclarations(root: string): VscodeDeclarations {
  const file = join(root, 'node_modules', '@types', 'vscode', 'index.d.ts');
  const out: VscodeDeclarations = { classes: [], namespaces: [], enums: {} };
  if (!existsSync(file)) return out;
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  for (const match of text.matchAll(/^\s*export class (\w+)/gm)) out.classes.push(match[1]);
  for (const match of text.matchAll(/^\s*export namespace (\w+)/gm)) out.namespaces.push(match[1]);
  for (const match of text.matchAll(/^\s*export enum (\w+)\s*\{([^}]*)\}/gm)) {
    const members: Record<string, number | string> = {};
    let next = 0;
    for (const entry of match[2].split(',')) {
      const member = /^\s*(\w+)\s*(?:=\s*(.+?))?\s*$/.exec(entry);
      if (!member) continue;
      const raw = member[2];
      const value = raw === undefined ? next : /^-?\d+$/.test(raw) ? Number(raw) : /^(['"]).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
      members[member[1]] = value;
      if (typeof value === 'number') next = value + 1;
    }
    out.enums[match[1]] = members;
  }
  return out;
}

/** package.json's `contributes.configuration` defaults, by full key. */
function configurationDefaults(root: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const manifest = require(join(root, 'package.json')) as {
    contributes?: { configuration?: { properties?: Record<string, { default?: unknown }> } };
  };
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(manifest.contributes?.configuration?.properties ?? {})) out[key] = property.default;
  return out;
}

function summary(values: (number | null)[]): ActivationSummary {
  const numbers = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
  if (numbers.length === 0) return { median: NaN, max: NaN };
  return { median: numbers[Math.ceil(numbers.length / 2) - 1], max: numbers[numbers.length - 1] };
}

export function activation(root: string, runs = 7): ActivationResult | { missing: string } {
  const extension = join(root, 'dist', 'extension.js');
  if (!existsSync(extension) || !existsSync(join(root, 'dist', 'server.js')))
    return { missing: 'dist/extension.js or dist/server.js missing (npm run build)' };
  const runner = join(root, '.bench', 'build', 'activation-runner.cjs');
  mkdirSync(join(root, '.bench', 'build'), { recursive: true });
  writeFileSync(
    runner,
    [
      '// Generated by scripts/bench/activation.ts (activationChild): one measured activation of dist/extension.js.',
      "'use strict';",
      `const activationChild = ${activationChild.toString()};`,
      `activationChild(JSON.parse(process.argv[2])).then(`,
      `  (report) => process.stdout.write(${JSON.stringify(MARKER)} + JSON.stringify(report) + '\\n', () => process.exit(0)),`,
      `  (error) => { console.error(error && error.stack || String(error)); process.exit(1); },`,
      ');',
      '',
    ].join('\n'),
  );
  const defaults = configurationDefaults(root);
  const declarations = vscodeDeclarations(root);
  const measured: ActivationRun[] = [];
  const failures: string[] = [];
  for (let run = 0; run <= runs; run++) {
    const storage = mkdtempSync(join(tmpdir(), 'aw-bench-activation-'));
    try {
      const config: ChildConfig = { root, extension, storage, defaults, declarations };
      const start = performance.now();
      const child = spawnSync(process.execPath, [runner, JSON.stringify(config)], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      const processMs = performance.now() - start;
      const line = child.stdout?.split('\n').find((text) => text.startsWith(MARKER));
      if (child.status !== 0 || !line) {
        failures.push(
          `run ${run}: exit ${child.status}${child.signal ? ` (${child.signal})` : ''}: ${(child.stderr || child.error?.message || '').trim().split('\n').slice(0, 5).join(' | ')}`,
        );
        continue;
      }
      if (run === 0) continue; // warm-up: the file cache, not counted
      measured.push({ ...(JSON.parse(line.slice(MARKER.length)) as ChildReport), processMs });
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  }
  const pick = (select: (run: ActivationRun) => number | null) => summary(measured.map(select));
  const last = measured[measured.length - 1];
  return {
    runs: measured.length,
    extension,
    measured,
    failures,
    fallbacks: [...new Set(measured.flatMap((run) => run.fallbacks))].sort(),
    require: pick((run) => run.requireMs),
    activateReturned: pick((run) => run.activateReturnedMs),
    fork: pick((run) => run.forkMs),
    initializeAnswered: pick((run) => run.initializeAnsweredMs),
    activated: pick((run) => run.activatedMs),
    requirePlusActivated: pick((run) => run.requireMs + run.activatedMs),
    deactivate: pick((run) => run.deactivateMs),
    process: pick((run) => run.processMs),
    logLine: last?.logLine ?? null,
    serverInfo: last?.serverInfo ?? null,
  };
}
