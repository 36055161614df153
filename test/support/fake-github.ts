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
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string (`?a=b`), or ''. */
  query?: string;
  authorization: string | undefined;
  gitProtocol: string | undefined;
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

    if (path === '/api/advisories') return this.advisoryAnswer(url, response);
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

  private send(response: ServerResponse, status: number, body: string, type = 'text/plain'): void {
    if (response.destroyed || response.headersSent) return;
    response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  }
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
