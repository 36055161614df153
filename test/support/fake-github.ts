/**
 * A fake GitHub on 127.0.0.1 (ephemeral port) for resolution tests. It speaks git smart HTTP protocol v2
 * `ls-refs` at `/<owner>/<repo>.git/git-upload-pack` and the REST endpoints the resolver uses under
 * `/api` (commits with the sha media type, git/matching-refs, git/tags, compare, and the global
 * `advisories` list, served from `advisories`). Repositories have a
 * small commit graph, lightweight and annotated tags (tags of tags too), branches and fork-only commits.
 * Per-repository behaviours simulate rate limits, 500s, slow answers, malformed bodies, a host that never
 * answers (`hang`), bodies that never end (`flood`: chunked, no Content-Length), an announced
 * Content-Length that is too large (`huge-length`) and a body that trickles (`trickle`). Every request
 * is recorded (method, path, Authorization header) so tests can count them.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const sha = (label: string): string => createHash('sha1').update(label).digest('hex');

export type Behaviour =
  | 'ok'
  | 'rate-limit-403'
  | 'rate-limit-429'
  | 'error-500'
  | 'slow'
  | 'malformed'
  | 'not-found'
  | 'no-upload-pack'
  | 'hang'
  | 'flood'
  | 'huge-length'
  | 'trickle';

export interface TagSpec {
  /** Commit label the tag names (lightweight or annotated). */
  commit?: string;
  /** Name of another tag this annotated tag points at (tag of a tag). */
  tagOf?: string;
  annotated?: boolean;
}

export interface RepoSpec {
  /** Main-line commit labels, oldest first; each has the previous as parent. */
  history: string[];
  branches: Record<string, string>;
  tags?: Record<string, TagSpec>;
  /** Commits only a fork has: label → parent label. */
  forkCommits?: Record<string, string>;
  /** Side-branch commits: label → parent label (reachable from a branch that names them). */
  sideCommits?: Record<string, string>;
  defaultBranch?: string;
  behaviour?: Behaviour;
  /** Applies only to the REST API (the git endpoint answers normally). */
  restBehaviour?: Behaviour;
  /** Raw ls-refs lines (without pkt-line framing or newline) appended to the listing, e.g. a ref listed twice. */
  extraLsRefsLines?: string[];
  /** Raw items appended to `git/matching-refs/<tags|heads>`. */
  extraMatchingRefs?: { tags?: unknown[]; heads?: unknown[] };
  /** Lockfile data: numeric ids (default: derived from the name; see `ids`). */
  ids?: { repoId: number; ownerId: number };
  /** Lockfile data: file contents per commit label, then per repository path. */
  files?: Record<string, Record<string, string>>;
  archived?: boolean;
  /** Private: the raw listener answers 404, the contents API needs an Authorization header. */
  private?: boolean;
}

export interface FakePolicy {
  /** The answer of `actions/permissions` (enabled, allowed_actions, sha_pinning_required). */
  permissions?: Record<string, unknown>;
  /** The answer of `actions/permissions/selected-actions` (absent: 409, as when not `selected`). */
  selected?: Record<string, unknown>;
  /** The answer of `actions/permissions/workflow`. */
  workflow?: Record<string, unknown>;
  /** Answer every endpoint with this status instead (403: the token lacks admin rights). */
  status?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string (`?a=b`), or ''. */
  query?: string;
  authorization: string | undefined;
  gitProtocol: string | undefined;
  /** `raw` for a request to the raw content listener (see startRaw); absent for the main listener. */
  listener?: 'raw';
  accept?: string;
}

interface Repo {
  spec: RepoSpec;
  parents: Map<string, string | null>;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  private readonly repos = new Map<string, Repo>();
  private server: Server | null = null;
  private port = 0;
  slowMs = 4000;
  /** `flood`: how many bytes to send at most (the client is expected to stop reading far earlier). */
  floodBytes = 128 * 1024 * 1024;
  /** `flood`: bytes the server managed to write per answer, and whether the client closed first. */
  readonly floods: { written: number; closedEarly: boolean }[] = [];
  /** `huge-length`: the Content-Length announced (nothing is sent after the headers). */
  hugeLength = 64 * 1024 * 1024;
  /** `huge-length` / `trickle` / `hang`: answers whose connection the client closed. */
  closedByClient = 0;
  /**
   * `GET /api/advisories?ecosystem=actions&affects=owner/repo`: the advisories served per repository
   * (raw JSON values, so tests can send malformed ones). A behaviour set here overrides the repository's.
   */
  readonly advisories = new Map<string, unknown[]>();
  advisoryBehaviour: Behaviour = 'ok';
  /** Applies to every request (any path), before repositories are looked at; null: per repository. */
  hostBehaviour: Behaviour | null = null;
  /** Seconds in Retry-After / from now in X-RateLimit-Reset. */
  retryAfterSeconds = 30;
  /** Release and commit dates (`releases/tags/{tag}`, `commits/{sha}` as JSON): see FakeReleaseDates. */
  readonly dates = new FakeReleaseDates();

  /**
   * The repositories' Actions settings (`/repos/{o}/{r}/actions/permissions`, `…/selected-actions`,
   * `…/workflow`), by `owner/repo` (lower case): the JSON each answers, or a status (403: no admin rights).
   */
  readonly policies = new Map<string, FakePolicy>();

  private policyRoute(path: string, response: ServerResponse): boolean {
    const match = /^\/api\/repos\/([^/]+)\/([^/]+)\/actions\/permissions(\/selected-actions|\/workflow)?$/.exec(path);
    if (!match) return false;
    const policy = this.policies.get(`${match[1]}/${match[2]}`.toLowerCase());
    const json = (status: number, value: unknown) => this.send(response, status, JSON.stringify(value), 'application/json');
    if (!policy) json(404, { message: 'Not Found' });
    else if (policy.status) json(policy.status, { message: policy.status === 403 ? 'Resource not accessible by integration' : 'error' });
    else if (match[3] === '/selected-actions') json(policy.selected ? 200 : 409, policy.selected ?? { message: 'not selected' });
    else if (match[3] === '/workflow')
      json(200, policy.workflow ?? { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false });
    else json(200, policy.permissions ?? { enabled: true, allowed_actions: 'all', sha_pinning_required: false });
    return true;
  }

  repo(name: string, spec: RepoSpec): this {
    const parents = new Map<string, string | null>();
    spec.history.forEach((label, index) => parents.set(sha(label), index === 0 ? null : sha(spec.history[index - 1])));
    for (const [label, parent] of Object.entries({ ...spec.sideCommits, ...spec.forkCommits })) parents.set(sha(label), sha(parent));
    this.repos.set(name.toLowerCase(), { spec, parents });
    return this;
  }

  setBehaviour(name: string, behaviour: Behaviour, rest?: Behaviour): void {
    const repo = this.repos.get(name.toLowerCase())!;
    repo.spec.behaviour = behaviour;
    repo.spec.restBehaviour = rest;
  }

  /** Moves a tag to another commit (as an attacker or a maintainer re-tagging would). */
  moveTag(name: string, tag: string, commitLabel: string): void {
    this.repos.get(name.toLowerCase())!.spec.tags![tag] = { commit: commitLabel };
  }

  get serverUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiUrl(): string {
    return `${this.serverUrl}/api`;
  }

  /** Requests whose path contains `fragment`. */
  count(fragment = ''): number {
    return this.requests.filter((request) => request.path.includes(fragment)).length;
  }

  reset(): void {
    this.requests.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // -------------------------------------------------------------------------------------------------

  /** The tag object SHA of an annotated tag. */
  tagObject(repo: string, tag: string): string {
    return sha(`tag-object:${repo.toLowerCase()}:${tag}`);
  }

  /** What a tag ref names directly: its tag object (annotated) or its commit (lightweight). */
  private tagTarget(repoName: string, repo: Repo, tag: string): { sha: string; type: 'tag' | 'commit' } {
    const spec = repo.spec.tags![tag];
    if (spec.annotated || spec.tagOf) return { sha: this.tagObject(repoName, tag), type: 'tag' };
    return { sha: sha(spec.commit!), type: 'commit' };
  }

  private peel(repo: Repo, tag: string, depth = 0): string {
    const spec = repo.spec.tags![tag];
    if (spec.tagOf && depth < 10) return this.peel(repo, spec.tagOf, depth + 1);
    return sha(spec.commit!);
  }

  private findTagObject(repoName: string, repo: Repo, objectSha: string): { tag: string; spec: TagSpec } | null {
    for (const [tag, spec] of Object.entries(repo.spec.tags ?? {})) {
      if ((spec.annotated || spec.tagOf) && this.tagObject(repoName, tag) === objectSha) return { tag, spec };
    }
    return null;
  }

  private ancestors(repo: Repo, commit: string): Set<string> {
    const seen = new Set<string>();
    for (let current: string | null | undefined = commit; current && !seen.has(current); current = repo.parents.get(current))
      seen.add(current);
    return seen;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    this.requests.push({
      method: request.method ?? 'GET',
      path,
      query: url.search,
      authorization: request.headers.authorization,
      gitProtocol: request.headers['git-protocol'] as string | undefined,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (this.hostBehaviour && (await this.misbehave(this.hostBehaviour, response, path.includes('.git/')))) return;
    if (await this.lockRoute(path, url, request, response)) return;
    if (this.policyRoute(path, response)) return;

    if (path === '/api/advisories') return this.advisoryAnswer(url, response);
    if (this.dates.answer(path, request, response)) return;
    if (await this.treeScanAnswer(path, url, response)) return;
    const git = /^\/([^/]+)\/([^/]+?)\.git\/git-upload-pack$/.exec(path);
    const api = /^\/api\/repos\/([^/]+)\/([^/]+)\/(.*)$/.exec(path);
    const name = git ? `${git[1]}/${git[2]}` : api ? `${api[1]}/${api[2]}` : '';
    const repo = this.repos.get(name.toLowerCase());
    if (!repo) return this.send(response, 404, 'Not Found');
    const behaviour = (api ? repo.spec.restBehaviour : undefined) ?? repo.spec.behaviour ?? 'ok';
    if (await this.misbehave(behaviour, response, Boolean(git))) return;

    if (git) {
      if (request.method !== 'POST' || request.headers['git-protocol'] !== 'version=2' || !body.includes('command=ls-refs')) {
        return this.send(response, 400, 'expected protocol v2 ls-refs');
      }
      return this.send(response, 200, this.lsRefs(name, repo, body), 'application/x-git-upload-pack-result');
    }
    return this.rest(name, repo, api![3], url, request, response);
  }

  private async misbehave(behaviour: Behaviour, response: ServerResponse, git: boolean): Promise<boolean> {
    switch (behaviour) {
      case 'ok':
        return false;
      case 'rate-limit-403':
        response.setHeader('X-RateLimit-Remaining', '0');
        response.setHeader('X-RateLimit-Reset', String(Math.floor(Date.now() / 1000) + this.retryAfterSeconds));
        this.send(response, 403, JSON.stringify({ message: 'API rate limit exceeded' }));
        return true;
      case 'rate-limit-429':
        response.setHeader('Retry-After', String(this.retryAfterSeconds));
        this.send(response, 429, 'Too Many Requests');
        return true;
      case 'error-500':
        this.send(response, 500, 'Internal Server Error');
        return true;
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, this.slowMs));
        if (!response.destroyed) return false;
        return true;
      case 'malformed':
        this.send(response, 200, git ? '00zzgarbage\n' : '{"not json', git ? 'application/x-git-upload-pack-result' : 'application/json');
        return true;
      case 'not-found':
        this.send(response, 404, 'Not Found');
        return true;
      case 'no-upload-pack':
        if (!git) return false;
        this.send(response, 403, 'upload-pack disabled');
        return true;
      case 'hang':
        // Headers never come: the connection stays open until the client gives up.
        response.on('close', () => this.closedByClient++);
        return true;
      case 'flood':
        void this.flood(response);
        return true;
      case 'huge-length':
        response.on('close', () => this.closedByClient++);
        response.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-result', 'Content-Length': String(this.hugeLength) });
        response.flushHeaders();
        return true;
      case 'trickle': {
        response.on('close', () => this.closedByClient++);
        response.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-result' });
        const timer = setInterval(() => (response.destroyed ? clearInterval(timer) : response.write('0')), 50);
        response.on('close', () => clearInterval(timer));
        return true;
      }
    }
  }

  /** A 200 without Content-Length whose chunked body runs to `floodBytes` unless the client stops reading. */
  private async flood(response: ServerResponse): Promise<void> {
    const record = { written: 0, closedEarly: false };
    this.floods.push(record);
    let closed = false;
    response.on('close', () => {
      closed = true;
      if (!response.writableFinished) record.closedEarly = true;
    });
    response.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-result' });
    const chunk = Buffer.alloc(64 * 1024, '0');
    while (!closed && record.written < this.floodBytes) {
      record.written += chunk.length;
      if (!response.write(chunk))
        await new Promise<void>((resolve) => {
          const done = () => {
            response.off('drain', done);
            response.off('close', done);
            resolve();
          };
          response.on('drain', done);
          response.on('close', done);
        });
    }
    if (!closed) response.end();
  }

  private async advisoryAnswer(url: URL, response: ServerResponse): Promise<void> {
    if (await this.misbehave(this.advisoryBehaviour, response, false)) return;
    const affects = (url.searchParams.get('affects') ?? '').toLowerCase();
    if (url.searchParams.get('ecosystem') !== 'actions' || !affects) {
      return this.send(response, 422, JSON.stringify({ message: 'expected ecosystem=actions&affects=' }), 'application/json');
    }
    this.send(response, 200, JSON.stringify(this.advisories.get(affects) ?? []), 'application/json');
  }

  private lsRefs(name: string, repo: Repo, body: string): string {
    const peel = body.includes('0009peel\n');
    const symrefs = body.includes('symrefs\n');
    const line = (text: string) => (text.length + 5).toString(16).padStart(4, '0') + text + '\n';
    let out = '';
    const head = repo.spec.defaultBranch ?? Object.keys(repo.spec.branches)[0];
    if (head && body.includes('ref-prefix HEAD'))
      out += line(`${sha(repo.spec.branches[head])} HEAD${symrefs ? ` symref-target:refs/heads/${head}` : ''}`);
    for (const [branch, label] of Object.entries(repo.spec.branches)) out += line(`${sha(label)} refs/heads/${branch}`);
    for (const tag of Object.keys(repo.spec.tags ?? {})) {
      const target = this.tagTarget(name, repo, tag);
      out += line(`${target.sha} refs/tags/${tag}${target.type === 'tag' && peel ? ` peeled:${this.peel(repo, tag)}` : ''}`);
    }
    for (const extra of repo.spec.extraLsRefsLines ?? []) out += line(extra);
    return out + '0000';
  }

  private rest(name: string, repo: Repo, rest: string, url: URL, request: IncomingMessage, response: ServerResponse): void {
    const json = (status: number, value: unknown) => this.send(response, status, JSON.stringify(value), 'application/json');
    let match: RegExpExecArray | null;
    if ((match = /^commits\/(.+)$/.exec(rest))) {
      if (request.headers.accept !== 'application/vnd.github.sha') return json(415, { message: 'test expects the sha media type' });
      const commit = this.resolve(name, repo, match[1]);
      return commit ? this.send(response, 200, commit, 'application/vnd.github.sha') : json(422, { message: 'No commit found' });
    }
    if ((match = /^git\/matching-refs\/(tags|heads)$/.exec(rest))) {
      if (match[1] === 'heads') {
        const heads = Object.entries(repo.spec.branches).map(([branch, label]) => ({
          ref: `refs/heads/${branch}`,
          object: { type: 'commit', sha: sha(label) },
        }));
        return json(200, [...heads, ...(repo.spec.extraMatchingRefs?.heads ?? [])]);
      }
      const tags = Object.keys(repo.spec.tags ?? {}).map((tag) => ({ ref: `refs/tags/${tag}`, object: this.tagTarget(name, repo, tag) }));
      return json(200, [...tags, ...(repo.spec.extraMatchingRefs?.tags ?? [])]);
    }
    if ((match = /^git\/tags\/([0-9a-f]{40})$/.exec(rest))) {
      const found = this.findTagObject(name, repo, match[1]);
      if (!found) return json(404, { message: 'Not Found' });
      const object = found.spec.tagOf
        ? { type: 'tag', sha: this.tagObject(name, found.spec.tagOf) }
        : { type: 'commit', sha: sha(found.spec.commit!) };
      return json(200, { sha: match[1], tag: found.tag, object });
    }
    if ((match = /^compare\/(.+)\.\.\.(.+)$/.exec(rest))) {
      const base = this.resolve(name, repo, match[1]);
      const head = this.resolve(name, repo, match[2]);
      if (!base || !head) return json(404, { message: 'Not Found' });
      const baseAncestors = this.ancestors(repo, base);
      const headAncestors = this.ancestors(repo, head);
      const status = base === head ? 'identical' : baseAncestors.has(head) ? 'behind' : headAncestors.has(base) ? 'ahead' : 'diverged';
      return json(200, { status, ahead_by: 0, behind_by: 0 });
    }
    void url;
    return json(404, { message: 'Not Found' });
  }

  /** A ref of the repository (branch, tag, full or abbreviated SHA of any commit of the network). */
  private resolve(name: string, repo: Repo, ref: string): string | null {
    if (repo.spec.branches[ref]) return sha(repo.spec.branches[ref]);
    if (repo.spec.tags?.[ref]) return this.peel(repo, ref);
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      const matches = [...repo.parents.keys()].filter((commit) => commit.startsWith(ref));
      return matches.length === 1 ? matches[0] : null;
    }
    void name;
    return null;
  }

  // ---- Lockfile data: repository ids, renames, files at a commit (raw host, GHES raw, contents API) ----
  // Additive block: repository ids (`ids`, setIds), renames (renameRepo: the old name answers 301), file
  // contents per commit (`files`), a second listener playing raw.githubusercontent.com (startRaw), with
  // its own behaviour (rawBehaviour). Requests to it are recorded in `requests` with `listener: 'raw'`.

  /** Old name (lower-cased) → current name. */
  private readonly renamed = new Map<string, string>();
  private rawServer: Server | null = null;
  private rawPort = 0;
  /** Applies to every request to the raw listener. */
  rawBehaviour: Behaviour = 'ok';
  /** Paths of the main listener answered with a 302 to the given absolute URL (e.g. a hop to the raw host). */
  readonly redirects = new Map<string, string>();

  /** The ids GitHub would report for a repository: the declared ones, else stable numbers from its name. */
  ids(name: string): { repoId: number; ownerId: number } {
    const repo = this.repos.get(name.toLowerCase());
    if (repo?.spec.ids) return repo.spec.ids;
    const number = (text: string) => Number.parseInt(sha(text).slice(0, 7), 16) + 1;
    return { repoId: number(`repo:${name.toLowerCase()}`), ownerId: number(`owner:${name.toLowerCase().split('/')[0]}`) };
  }

  /** Changes the ids behind a name (deleted and re-registered, or transferred). */
  setIds(name: string, ids: { repoId?: number; ownerId?: number }): void {
    const repo = this.repos.get(name.toLowerCase())!;
    repo.spec.ids = { ...this.ids(name), ...ids };
  }

  /** Renames a repository: the old name then redirects (301) as GitHub's does; the ids stay. */
  renameRepo(from: string, to: string): void {
    const repo = this.repos.get(from.toLowerCase())!;
    const ids = this.ids(from);
    this.repos.delete(from.toLowerCase());
    repo.spec.ids = ids;
    this.repos.set(to.toLowerCase(), repo);
    this.renamed.set(from.toLowerCase(), to);
  }

  /** Adds or replaces a file at a commit label. */
  setFile(name: string, commitLabel: string, path: string, text: string): void {
    const spec = this.repos.get(name.toLowerCase())!.spec;
    spec.files ??= {};
    spec.files[commitLabel] ??= {};
    spec.files[commitLabel][path] = text;
  }

  get rawUrl(): string {
    return `http://127.0.0.1:${this.rawPort}`;
  }

  /** Starts the raw content listener (another port, so it is another origin). */
  async startRaw(): Promise<this> {
    this.rawServer = createServer((request, response) => void this.handleRaw(request, response));
    await new Promise<void>((resolve) => this.rawServer!.listen(0, '127.0.0.1', resolve));
    this.rawPort = (this.rawServer.address() as AddressInfo).port;
    return this;
  }

  async stopRaw(): Promise<void> {
    this.rawServer?.closeAllConnections();
    await new Promise<void>((resolve) => (this.rawServer ? this.rawServer.close(() => resolve()) : resolve()));
  }

  /** Requests to the raw listener whose path contains `fragment`. */
  rawCount(fragment = ''): number {
    return this.requests.filter((request) => request.listener === 'raw' && request.path.includes(fragment)).length;
  }

  private fileAt(repo: Repo, commit: string, path: string): string | undefined {
    for (const [label, files] of Object.entries(repo.spec.files ?? {})) if (sha(label) === commit) return files[path];
    return undefined;
  }

  private repoJson(name: string, repo: Repo): unknown {
    const ids = this.ids(name);
    const [owner] = name.split('/');
    return {
      id: ids.repoId,
      full_name: name,
      name: name.split('/')[1],
      owner: { login: owner, id: ids.ownerId },
      default_branch: repo.spec.defaultBranch ?? Object.keys(repo.spec.branches)[0] ?? null,
      archived: repo.spec.archived === true,
    };
  }

  private currentName(name: string): string | null {
    if (this.repos.has(name.toLowerCase())) return [...this.repos.keys()].find((key) => key === name.toLowerCase())!;
    return null;
  }

  /** The lockfile routes of the main listener; false when the request is not one of them. */
  private async lockRoute(path: string, url: URL, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const json = (status: number, value: unknown) => this.send(response, status, JSON.stringify(value), 'application/json');
    const redirect = this.redirects.get(path);
    if (redirect !== undefined) {
      response.setHeader('Location', redirect);
      this.send(response, 302, '');
      return true;
    }
    let match: RegExpExecArray | null;
    if ((match = /^\/api\/repositories\/(\d+)$/.exec(path))) {
      const id = Number(match[1]);
      const name = [...this.repos.keys()].find((key) => this.ids(key).repoId === id);
      if (!name) json(404, { message: 'Not Found' });
      else json(200, this.repoJson(name, this.repos.get(name)!));
      return true;
    }
    const api = /^\/api\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (api) {
      const asked = `${api[1]}/${api[2]}`.toLowerCase();
      const renamedTo = this.renamed.get(asked);
      if (renamedTo && !this.repos.has(asked)) {
        const target = api[3] ? `/api/repos/${renamedTo}${api[3]}${url.search}` : `/api/repositories/${this.ids(renamedTo).repoId}`;
        response.setHeader('Location', `${this.apiUrl.slice(0, -'/api'.length)}${target}`);
        this.send(response, 301, JSON.stringify({ message: 'Moved Permanently' }), 'application/json');
        return true;
      }
      const repo = this.repos.get(asked);
      if (!repo) return false;
      if (!api[3] || /^\/contents\//.test(api[3])) {
        const behaviour = repo.spec.restBehaviour ?? repo.spec.behaviour ?? 'ok';
        if (await this.misbehave(behaviour, response, false)) return true;
      }
      if (!api[3]) {
        json(200, this.repoJson(this.currentName(asked)!, repo));
        return true;
      }
      if ((match = /^\/contents\/(.+)$/.exec(api[3]))) {
        if (!/application\/vnd\.github\.raw/.test(request.headers.accept ?? '')) {
          json(415, { message: 'test expects the raw media type' });
          return true;
        }
        const commit = url.searchParams.get('ref') ?? '';
        const text = this.fileAt(repo, commit, match[1]);
        if (text === undefined || (repo.spec.private && !request.headers.authorization)) json(404, { message: 'Not Found' });
        else this.send(response, 200, text, 'application/vnd.github.raw');
        return true;
      }
      return false;
    }
    // GitHub Enterprise Server's raw route on the server: /<owner>/<repo>/raw/<sha>/<path>
    if ((match = /^\/([^/]+)\/([^/]+)\/raw\/([0-9a-f]{40})\/(.+)$/.exec(path))) {
      const repo = this.repos.get(`${match[1]}/${match[2]}`.toLowerCase());
      if (!repo) return false;
      if (await this.misbehave(repo.spec.behaviour ?? 'ok', response, false)) return true;
      const text = this.fileAt(repo, match[3], match[4]);
      if (text === undefined) this.send(response, 404, 'Not Found');
      else this.send(response, 200, text);
      return true;
    }
    return false;
  }

  /** The raw listener: /<owner>/<repo>/<sha>/<path>, like raw.githubusercontent.com. */
  private async handleRaw(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    this.requests.push({
      method: request.method ?? 'GET',
      path,
      query: url.search,
      authorization: request.headers.authorization,
      gitProtocol: undefined,
      listener: 'raw',
      accept: request.headers.accept,
    });
    for await (const _ of request) void _;
    if (await this.misbehave(this.rawBehaviour, response, false)) return;
    const match = /^\/([^/]+)\/([^/]+)\/([0-9a-f]{40})\/(.+)$/.exec(path);
    if (!match) return this.send(response, 404, '404: Not Found');
    const name = `${match[1]}/${match[2]}`.toLowerCase();
    const renamedTo = this.renamed.get(name);
    if (renamedTo && !this.repos.has(name)) {
      response.setHeader('Location', `${this.rawUrl}/${renamedTo}/${match[3]}/${match[4]}`);
      return this.send(response, 301, '');
    }
    const repo = this.repos.get(name);
    // Like the real raw host without credentials: a private repository is a 404.
    const text = repo ? this.fileAt(repo, match[3], match[4]) : undefined;
    if (text === undefined || repo?.spec.private) return this.send(response, 404, '404: Not Found');
    this.send(response, 200, text);
  }

  private send(response: ServerResponse, status: number, body: string, type = 'text/plain'): void {
    if (response.destroyed || response.headersSent) return;
    response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  }

  // -------------------------------------------------------------------------------------------------
  // Repository scanning (server/src/cli/remote.ts): `GET /repos/{o}/{r}`, git trees (recursive or not,
  // optionally truncated) and blobs at the head commit of a repository registered with `treeRepo`, and
  // `GET /orgs/{o}/repos` / `GET /users/{u}/repos` paginated with a Link header (`ownerListing`).

  private readonly treeRepos = new Map<string, TreeRepo>();
  private readonly owners = new Map<string, { repos: unknown[]; user: boolean; pageSize: number }>();

  /** A repository with files at the head of its default branch (also served by ls-refs, with a tag `v1` on it). */
  treeRepo(name: string, spec: TreeRepoSpec): this {
    const branch = spec.defaultBranch ?? 'main';
    const head = `${name}:head`;
    this.repo(name, { history: [head], branches: { [branch]: head }, defaultBranch: branch, tags: { v1: { commit: head } } });
    const trees = new Map<string, TreeItem[]>([['', []]]);
    const treeShas = new Map<string, string>([[sha(`tree:${name}:`), '']]);
    const blobs = new Map<string, string>();
    const addEntry = (dir: string, item: TreeItem) => {
      if (!trees.get(dir)!.some((existing) => existing.name === item.name)) trees.get(dir)!.push(item);
    };
    for (const [path, value] of Object.entries(spec.files)) {
      const { text, mode } = typeof value === 'string' ? { text: value, mode: '100644' } : { mode: '100644', ...value };
      const parts = path.split('/');
      for (let depth = 0; depth < parts.length - 1; depth++) {
        const dir = parts.slice(0, depth).join('/');
        const sub = parts.slice(0, depth + 1).join('/');
        if (!trees.has(sub)) {
          trees.set(sub, []);
          treeShas.set(sha(`tree:${name}:${sub}`), sub);
        }
        addEntry(dir, { name: parts[depth], type: 'tree', mode: '040000', sha: sha(`tree:${name}:${sub}`) });
      }
      const bytes = Buffer.from(text, 'utf8');
      const blobSha = gitBlobSha(bytes);
      blobs.set(blobSha, spec.corrupt?.includes(path) ? `${text}# tampered\n` : text);
      addEntry(parts.slice(0, -1).join('/'), { name: parts[parts.length - 1], type: 'blob', mode, sha: blobSha, size: bytes.length });
    }
    this.treeRepos.set(name.toLowerCase(), { name, spec, head: sha(head), trees, treeShas, blobs });
    return this;
  }

  /** The repositories an organisation (or, with `user`, a user) lists, `pageSize` per page. */
  ownerListing(
    owner: string,
    repos: { name: string; archived?: boolean; fork?: boolean; defaultBranch?: string }[],
    options: { user?: boolean; pageSize?: number } = {},
  ): this {
    const items = repos.map((repo) => ({
      name: repo.name.split('/')[1],
      full_name: repo.name,
      default_branch: repo.defaultBranch ?? 'main',
      archived: repo.archived === true,
      fork: repo.fork === true,
    }));
    this.owners.set(owner.toLowerCase(), { repos: items, user: options.user === true, pageSize: options.pageSize ?? 100 });
    return this;
  }

  /** Raw items for an owner's listing (malformed entries, hostile names). */
  ownerListingRaw(owner: string, items: unknown[], options: { user?: boolean; pageSize?: number } = {}): this {
    this.owners.set(owner.toLowerCase(), { repos: items, user: options.user === true, pageSize: options.pageSize ?? 100 });
    return this;
  }

  private async treeScanAnswer(path: string, url: URL, response: ServerResponse): Promise<boolean> {
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      for (const [header, value2] of Object.entries(headers)) response.setHeader(header, value2);
      this.send(response, status, JSON.stringify(value), 'application/json');
      return true;
    };
    const listing = /^\/api\/(orgs|users)\/([^/]+)\/repos$/.exec(path);
    if (listing) {
      const owner = this.owners.get(listing[2].toLowerCase());
      if (!owner || owner.user !== (listing[1] === 'users')) return json(404, { message: 'Not Found' });
      const page = Math.max(1, Number(url.searchParams.get('page') ?? '1'));
      const pages = Math.max(1, Math.ceil(owner.repos.length / owner.pageSize));
      const items = owner.repos.slice((page - 1) * owner.pageSize, page * owner.pageSize);
      const link = (n: number, rel: string) => `<${this.apiUrl}/${listing[1]}/${listing[2]}/repos?per_page=100&page=${n}>; rel="${rel}"`;
      const links = [page < pages ? link(page + 1, 'next') : '', link(pages, 'last')].filter(Boolean).join(', ');
      return json(200, items, { Link: links });
    }
    const match = /^\/api\/repos\/([^/]+)\/([^/]+)(?:\/git\/(trees|blobs)\/([0-9a-f]+))?$/.exec(path);
    if (!match) return false;
    const name = `${match[1]}/${match[2]}`;
    const tree = this.treeRepos.get(name.toLowerCase());
    if (!tree) return match[3] === undefined ? json(404, { message: 'Not Found' }) : false;
    const behaviour = tree.spec.restBehaviour ?? 'ok';
    if (await this.misbehave(behaviour, response, false)) return true;
    if (match[3] === undefined) {
      return json(200, {
        name: match[2],
        full_name: tree.name,
        default_branch: tree.spec.defaultBranch ?? 'main',
        archived: tree.spec.archived === true,
        fork: tree.spec.fork === true,
      });
    }
    if (match[3] === 'blobs') {
      const text = tree.blobs.get(match[4]);
      if (text === undefined) return json(404, { message: 'Not Found' });
      const content = Buffer.from(text, 'utf8')
        .toString('base64')
        .replace(/(.{60})/g, '$1\n');
      return json(200, { sha: match[4], size: Buffer.byteLength(text), encoding: 'base64', content });
    }
    const dir = match[4] === tree.head ? '' : tree.treeShas.get(match[4]);
    if (dir === undefined) return json(404, { message: 'Not Found' });
    const recursive = url.searchParams.get('recursive') === '1';
    const entries: { path: string; type: string; mode: string; sha: string; size?: number }[] = [];
    const walk = (at: string, prefix: string) => {
      for (const item of [...tree.trees.get(at)!].sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const path2 = prefix ? `${prefix}/${item.name}` : item.name;
        entries.push({
          path: path2,
          type: item.type,
          mode: item.mode,
          sha: item.sha,
          ...(item.size !== undefined ? { size: item.size } : {}),
        });
        if (recursive && item.type === 'tree') walk(at ? `${at}/${item.name}` : item.name, path2);
      }
    };
    walk(dir, '');
    const truncateAt = dir === '' && recursive ? tree.spec.truncateAt : undefined;
    const listed = truncateAt !== undefined ? entries.filter((entry) => !entry.path.startsWith('.github')).slice(0, truncateAt) : entries;
    return json(200, { sha: match[4], tree: listed, truncated: truncateAt !== undefined });
  }
}

// -------------------------------------------------------------------------------------------------
// Release dates (the update actions' minimum release age): `GET /repos/{o}/{r}/releases/tags/{tag}`
// answers `published_at` for the releases registered with `release` (404 for other tags), and
// `GET /repos/{o}/{r}/commits/{sha}` asked for JSON (not the sha media type) answers the commit's date
// (`commitDate`, else DEFAULT_COMMIT_DATE) for commits of a registered repository.

/** The committer date of commits without one of their own: old enough for any minimum release age. */
export const DEFAULT_COMMIT_DATE = '2020-01-01T00:00:00Z';

/** ISO date `days` days before now. */
export const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();

/** The release-date routes: `FakeGitHub.dates`. */
export class FakeReleaseDates {
  /** Release dates by `owner/repo@tag` (lower-cased repository). */
  private readonly releases = new Map<string, string>();
  /** Commit dates by commit SHA. */
  private readonly commits = new Map<string, string>();

  /** Registers a GitHub release of `tag` published at `isoDate`. */
  release(repo: string, tag: string, isoDate: string): this {
    this.releases.set(`${repo.toLowerCase()}@${tag}`, isoDate);
    return this;
  }

  /** Sets the committer date of the commit labelled `label`. */
  commitDate(label: string, isoDate: string): this {
    this.commits.set(sha(label), isoDate);
    return this;
  }

  /** Answers the request when it is one of these routes. */
  answer(path: string, request: IncomingMessage, response: ServerResponse): boolean {
    const json = (status: number, value: unknown): boolean => {
      if (response.destroyed || response.headersSent) return true;
      const body = JSON.stringify(value);
      response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      response.end(body);
      return true;
    };
    const release = /^\/api\/repos\/([^/]+)\/([^/]+)\/releases\/tags\/(.+)$/.exec(path);
    if (release) {
      const published = this.releases.get(`${`${release[1]}/${release[2]}`.toLowerCase()}@${release[3]}`);
      return published
        ? json(200, { tag_name: release[3], published_at: published, draft: false, prerelease: false })
        : json(404, { message: 'Not Found' });
    }
    const commit = /^\/api\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})$/.exec(path);
    if (!commit || request.headers.accept === 'application/vnd.github.sha') return false;
    const date = this.commits.get(commit[3]) ?? DEFAULT_COMMIT_DATE;
    return json(200, { sha: commit[3], commit: { committer: { date }, author: { date } } });
  }
}

export interface TreeRepoSpec {
  /** Files at the head commit: path → text, or text and git mode (`120000` for a symbolic link). */
  files: Record<string, string | { text: string; mode?: string }>;
  defaultBranch?: string;
  archived?: boolean;
  fork?: boolean;
  /** The recursive listing of the root says `truncated` and lists at most this many entries, none under `.github`. */
  truncateAt?: number;
  /** Paths whose blob is served with content that does not match its SHA. */
  corrupt?: string[];
  /** Applies to the tree-scanning routes only. */
  restBehaviour?: Behaviour;
}

interface TreeItem {
  name: string;
  type: 'blob' | 'tree';
  mode: string;
  sha: string;
  size?: number;
}

interface TreeRepo {
  name: string;
  spec: TreeRepoSpec;
  /** The head commit (its tree is the root). */
  head: string;
  /** Folder ('' for the root) → its entries. */
  trees: Map<string, TreeItem[]>;
  /** Tree SHA → folder. */
  treeShas: Map<string, string>;
  /** Blob SHA → content served. */
  blobs: Map<string, string>;
}

/** A git blob's SHA-1 (`blob <size>\0<content>`). */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The standard fixture: actions/checkout and friends. */
export function standardFakeGitHub(): FakeGitHub {
  return new FakeGitHub()
    .repo('actions/checkout', {
      history: ['co-1', 'co-2', 'co-3', 'co-4', 'co-5'],
      branches: { main: 'co-5', 'releases/v4': 'co-4' },
      defaultBranch: 'main',
      tags: {
        'v4.1.0': { commit: 'co-2', annotated: true },
        'v4.2.1': { commit: 'co-3', annotated: true },
        'v4.2.2': { commit: 'co-4', annotated: true },
        v4: { commit: 'co-4' },
        'v5.0.0': { commit: 'co-5', annotated: true },
        v5: { commit: 'co-5' },
      },
      forkCommits: { 'co-evil': 'co-3' },
    })
    .repo('actions/setup-node', {
      history: ['sn-1', 'sn-2'],
      branches: { main: 'sn-2' },
      tags: {
        'v4.0.0': { commit: 'sn-1' },
        'v4.0.1': { tagOf: 'v4.0.1-inner' },
        'v4.0.1-inner': { commit: 'sn-2', annotated: true },
        v4: { tagOf: 'v4.0.1' },
      },
    })
    .repo('octo/tools', {
      history: ['ot-1', 'ot-2', 'ot-3'],
      branches: { main: 'ot-3', v1: 'ot-3' },
      tags: { v1: { commit: 'ot-2' }, 'v1.0.0': { commit: 'ot-2' } },
      sideCommits: {},
    })
    .repo('octo/reusable', {
      history: ['rw-1', 'rw-2'],
      branches: { main: 'rw-2' },
      tags: { 'v2.0.0': { commit: 'rw-2' }, v2: { commit: 'rw-2' } },
    });
}
