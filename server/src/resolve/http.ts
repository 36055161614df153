/**
 * The only way the resolver talks to the network. It enforces:
 * - a host allow-list: requests go to the configured server and API origins and nowhere else (redirects
 *   included); `http://` is accepted only for loopback hosts;
 * - the token is sent only to those origins and never appears in a log line or an error message;
 * - a timeout per request (body included), a concurrency limit, and back-off after 403/429 rate limits
 *   honouring `Retry-After` and `X-RateLimit-Reset` (said plainly in the error and the log).
 */
import { fail, ok, type Result } from './types';
import { trimEndOf } from '../parse/strings';

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export interface HttpClientOptions {
  /** Web origin serving git (`https://github.com`, or a GHES host). */
  serverUrl: string;
  /** REST API base (`https://api.github.com`, or `https://ghes.example/api/v3`). */
  apiUrl: string;
  token?: string;
  timeoutMs?: number;
  concurrency?: number;
  log?: (message: string) => void;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  now?: () => number;
  userAgent?: string;
}

export interface RequestInit2 {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** `basic` (git smart HTTP) or `bearer` (REST). */
  auth: 'basic' | 'bearer';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const MAX_REDIRECTS = 3;
const MAX_BODY = 32 * 1024 * 1024;

/** Parses and checks a configured base URL: https anywhere, http only on loopback, no credentials. */
export function checkBaseUrl(raw: string, what: string): Result<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('invalid', `${what} \`${raw}\` is not a URL`);
  }
  if (url.username || url.password) return fail('invalid', `${what} must not contain credentials`);
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    return fail('host-not-allowed', `${what} \`${url.origin}\` uses plain http://, which is only accepted for loopback hosts`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail('invalid', `${what} must be an https:// URL`);
  url.pathname = trimEndOf(url.pathname, '/');
  url.search = '';
  url.hash = '';
  return ok(url);
}

export class HttpClient {
  readonly server: URL;
  readonly api: URL;
  private readonly allowedOrigins: Set<string>;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly userAgent: string;
  private readonly limit: number;
  private active = 0;
  private readonly queue: (() => void)[] = [];
  /** Per origin: no request before this time (epoch ms). */
  private readonly blockedUntil = new Map<string, number>();
  /** Number of requests sent, by origin + path (tests and diagnostics). */
  readonly requestCount = new Map<string, number>();

  private constructor(server: URL, api: URL, options: HttpClientOptions) {
    this.server = server;
    this.api = api;
    this.allowedOrigins = new Set([server.origin, api.origin]);
    this.token = options.token && options.token.trim() !== '' ? options.token.trim() : undefined;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.limit = Math.max(1, options.concurrency ?? 4);
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.userAgent = options.userAgent ?? 'actions-warden';
  }

  static create(options: HttpClientOptions): Result<HttpClient> {
    const server = checkBaseUrl(options.serverUrl, 'GitHub server URL');
    if (!server.ok) return server;
    const api = checkBaseUrl(options.apiUrl, 'GitHub API URL');
    if (!api.ok) return api;
    return ok(new HttpClient(server.value, api.value, options));
  }

  get hasToken(): boolean {
    return this.token !== undefined;
  }

  /** When the origin of `target` may be asked again (epoch ms), or 0. */
  blockedUntilFor(target: 'server' | 'api'): number {
    return this.blockedUntil.get((target === 'server' ? this.server : this.api).origin) ?? 0;
  }

  /** `path` is appended to the base's path; it must already be percent-encoded. */
  async request(target: 'server' | 'api', path: string, init: RequestInit2): Promise<Result<HttpResponse>> {
    const base = target === 'server' ? this.server : this.api;
    let url = new URL(trimEndOf(base.href, '/') + path);
    const blocked = this.blockedUntil.get(url.origin) ?? 0;
    if (blocked > this.now()) return fail('rate-limited', rateLimitMessage(url.origin, blocked), blocked);
    await this.acquire();
    try {
      for (let hop = 0; ; hop++) {
        if (!this.allowedOrigins.has(url.origin)) {
          this.log(`refused a request to ${url.origin}: not a configured GitHub host`);
          return fail('host-not-allowed', `${url.origin} is not a configured GitHub host; nothing was sent to it`);
        }
        const response = await this.send(url, init);
        if (!response.ok) return response;
        const { status, headers } = response.value;
        if (status >= 300 && status < 400 && headers.get('location') && hop < MAX_REDIRECTS) {
          url = new URL(headers.get('location')!, url);
          continue;
        }
        return this.interpret(url, response.value);
      }
    } finally {
      this.release();
    }
  }

  private async send(url: URL, init: RequestInit2): Promise<Result<HttpResponse>> {
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...init.headers };
    if (this.token) {
      headers.Authorization =
        init.auth === 'basic' ? `Basic ${Buffer.from(`x-access-token:${this.token}`).toString('base64')}` : `Bearer ${this.token}`;
    }
    const key = url.origin + url.pathname;
    this.requestCount.set(key, (this.requestCount.get(key) ?? 0) + 1);
    const started = this.now();
    try {
      const response = await this.fetchImpl(url, {
        method: init.method ?? 'GET',
        headers,
        body: init.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = await readBody(response);
      this.log(`${init.method ?? 'GET'} ${url.origin}${url.pathname} → ${response.status} (${this.now() - started} ms)`);
      return ok({ status: response.status, headers: response.headers, body });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        this.log(`${init.method ?? 'GET'} ${url.origin}${url.pathname} timed out after ${this.timeoutMs} ms`);
        return fail('timeout', `${url.host} did not answer within ${this.timeoutMs} ms`);
      }
      const message = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      this.log(`${init.method ?? 'GET'} ${url.origin}${url.pathname} failed: ${this.redact(message)}`);
      return fail('network', `could not reach ${url.host}: ${this.redact(message)}`);
    }
  }

  private interpret(url: URL, response: HttpResponse): Result<HttpResponse> {
    const { status, headers } = response;
    if (status >= 200 && status < 300) return ok(response);
    const remaining = headers.get('x-ratelimit-remaining');
    const retryAfter = headers.get('retry-after');
    if (status === 429 || (status === 403 && (remaining === '0' || retryAfter !== null))) {
      const retryAt = this.retryTime(headers);
      this.blockedUntil.set(url.origin, retryAt);
      const message = rateLimitMessage(url.origin, retryAt) + (this.token ? '' : '; a token (actionsWarden.github.token, GITHUB_TOKEN) raises the limit');
      this.log(message);
      return fail('rate-limited', message, retryAt);
    }
    if (status === 404) return fail('not-found', `${url.host} answered 404 for ${url.pathname}`);
    if (status === 401) return fail('http', `${url.host} rejected the token (401)`);
    if (status === 403) return fail('http', `${url.host} refused access (403)${this.token ? '' : '; a token may be needed'}`);
    return fail('http', `${url.host} answered ${status} for ${url.pathname}`);
  }

  private retryTime(headers: Headers): number {
    const now = this.now();
    const retryAfter = headers.get('retry-after');
    if (retryAfter) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds)) return now + Math.max(1, seconds) * 1000;
      const date = Date.parse(retryAfter);
      if (Number.isFinite(date)) return Math.max(now + 1000, date);
    }
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(now + 1000, reset * 1000);
    return now + 60_000;
  }

  private redact(text: string): string {
    return this.token ? text.split(this.token).join('***') : text;
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(() => resolve()));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active--;
  }
}

function rateLimitMessage(origin: string, retryAt: number): string {
  return `GitHub rate limit reached at ${origin}: backing off until ${new Date(retryAt).toISOString()}`;
}

async function readBody(response: Response): Promise<Uint8Array> {
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > MAX_BODY) throw new Error('response too large');
  const buffer = new Uint8Array(await response.arrayBuffer());
  if (buffer.length > MAX_BODY) throw new Error('response too large');
  return buffer;
}
