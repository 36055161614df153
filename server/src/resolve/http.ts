/**
 * The only way the resolver talks to the network. It enforces:
 * - a host allow-list: requests go to the configured server and API origins and nowhere else (redirects
 *   included); `http://` is accepted only for loopback hosts;
 * - the token is sent only to those origins and never appears in a log line or an error message; the
 *   raw content host of github.com (`raw.githubusercontent.com`, for files at a commit) is allowed too,
 *   but never receives the token (see RAW_HOST_FOR);
 * - a timeout per request (body included: a body that trickles is cut off), a body size limit that holds
 *   while streaming (an announced Content-Length over it is refused before reading), a concurrency
 *   limit, and back-off after 403/429 rate limits honouring `Retry-After` and `X-RateLimit-Reset` (said
 *   plainly in the error and the log);
 * - a circuit breaker per host: after a timeout or a connection failure, requests to that host fail at
 *   once for a cool-down period, then one probe is let through; the outage is said once per host. A
 *   connection reset (a kept-alive connection the server or a proxy closed meanwhile) is first retried
 *   once on a new connection when the request is a read that may be repeated (a GET, or a POST marked
 *   `idempotent`: git's ls-refs); only a second failure counts toward the breaker.
 */
import { displayUrl } from '../../../shared/src/github-hosts';
import { BodyTooLargeError, readBodyLimited } from './body';
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
  /**
   * Raw content host for files at a commit; never receives the token. Default: `https://raw.githubusercontent.com`
   * when the server is github.com, none otherwise (GitHub Enterprise Server serves raw files from the server).
   * Set by code only (tests point it at a loopback listener), never from a setting or a repository.
   */
  rawUrl?: string;
  token?: string;
  /** Per request, from sending to the last byte of the body. Default 10 s. */
  timeoutMs?: number;
  /** Largest response body accepted (bytes). Default 32 MiB. */
  maxBodyBytes?: number;
  /** After a timeout or connection failure, how long requests to that host fail at once. Default 30 s. */
  hostCooldownMs?: number;
  /** Called when a host stops answering (once per outage) and when it answers again. */
  onHostStatus?: (event: HostStatusEvent) => void;
  concurrency?: number;
  log?: (message: string) => void;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  now?: () => number;
  userAgent?: string;
}

export interface HostStatusEvent {
  state: 'down' | 'up';
  /** `https://github.com` */
  origin: string;
  /** `github.com` */
  host: string;
  /** A sentence for a person (log line, CLI note, status tooltip). */
  message: string;
  /** For `down`: when one request will be tried again (epoch ms). */
  retryAt?: number;
}

export interface RequestInit2 {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** `basic` (git smart HTTP), `bearer` (REST) or `none` (never send the token). */
  auth: 'basic' | 'bearer' | 'none';
  /** A smaller body limit for this request than the client's. */
  maxBodyBytes?: number;
  /** A POST that only reads (git's ls-refs) and may be sent again after a connection reset; GETs always may. */
  idempotent?: boolean;
}

/** The raw content host that goes with a server origin, when it has one (public GitHub only). */
export const RAW_HOST_FOR: Readonly<Record<string, string>> = { 'https://github.com': 'https://raw.githubusercontent.com' };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const MAX_REDIRECTS = 3;
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_HOST_COOLDOWN_MS = 30_000;

/** A host that timed out or refused a connection: requests fail at once until `openUntil`, then one probes. */
interface HostOutage {
  openUntil: number;
  probing: boolean;
  reason: string;
}

/** Parses and checks a configured base URL: https anywhere, http only on loopback, no credentials. */
export function checkBaseUrl(raw: string, what: string): Result<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('invalid', `${what} \`${displayUrl(raw)}\` is not a URL`);
  }
  if (url.username || url.password) {
    return fail(
      'invalid',
      `${what} \`${displayUrl(raw)}\` contains credentials, which are refused: give the token through the token setting or GITHUB_TOKEN instead`,
    );
  }
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
  /** The raw content host (no token is ever sent to it), or null. */
  readonly raw: URL | null;
  private readonly allowedOrigins: Set<string>;
  /** The origins the token may go to: the server and the API, never the raw host. */
  private readonly tokenOrigins: Set<string>;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly userAgent: string;
  private readonly limit: number;
  private readonly maxBodyBytes: number;
  private readonly cooldownMs: number;
  private readonly onHostStatus: (event: HostStatusEvent) => void;
  /** Hosts (by origin) that are not answering. */
  private readonly outages = new Map<string, HostOutage>();
  private active = 0;
  private readonly queue: (() => void)[] = [];
  /** Per origin: no request before this time (epoch ms). */
  private readonly blockedUntil = new Map<string, number>();
  /** Number of requests sent, by origin + path (tests and diagnostics). */
  readonly requestCount = new Map<string, number>();

  private constructor(server: URL, api: URL, raw: URL | null, options: HttpClientOptions) {
    this.server = server;
    this.api = api;
    // A raw host that is also the server or the API host is that host (and gets the token like it).
    this.raw = raw && raw.origin !== server.origin && raw.origin !== api.origin ? raw : null;
    this.allowedOrigins = new Set([server.origin, api.origin]);
    this.tokenOrigins = new Set([server.origin, api.origin]);
    if (this.raw) this.allowedOrigins.add(this.raw.origin);
    this.token = options.token && options.token.trim() !== '' ? options.token.trim() : undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.cooldownMs = options.hostCooldownMs ?? DEFAULT_HOST_COOLDOWN_MS;
    this.onHostStatus = options.onHostStatus ?? (() => undefined);
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
    const rawDefault = RAW_HOST_FOR[server.value.origin];
    let raw: URL | null = null;
    if (options.rawUrl !== undefined || rawDefault !== undefined) {
      const checked = checkBaseUrl(options.rawUrl ?? rawDefault, 'GitHub raw content URL');
      if (!checked.ok) return checked;
      raw = checked.value;
    }
    return ok(new HttpClient(server.value, api.value, raw, options));
  }

  get hasToken(): boolean {
    return this.token !== undefined;
  }

  /** When the origin of `target` may be asked again (epoch ms), or 0. */
  blockedUntilFor(target: 'server' | 'api'): number {
    return this.blockedUntil.get((target === 'server' ? this.server : this.api).origin) ?? 0;
  }

  /** `path` is appended to the base's path; it must already be percent-encoded. */
  async request(target: 'server' | 'api' | 'raw', path: string, init: RequestInit2): Promise<Result<HttpResponse>> {
    const base = target === 'server' ? this.server : target === 'api' ? this.api : this.raw;
    if (!base) return fail('host-not-allowed', 'no raw content host is configured for this GitHub server; nothing was sent');
    let url = new URL(trimEndOf(base.href, '/') + path);
    const blocked = this.blockedUntil.get(url.origin) ?? 0;
    if (blocked > this.now()) return fail('rate-limited', rateLimitMessage(url.origin, blocked), blocked);
    // A host in an outage fails here, without waiting for a free slot behind requests that will time out.
    const early = this.outageError(url);
    if (early) return early;
    await this.acquire();
    try {
      for (let hop = 0; ; hop++) {
        if (!this.allowedOrigins.has(url.origin)) {
          this.log(`refused a request to ${url.origin}: not a configured GitHub host`);
          return fail('host-not-allowed', `${url.origin} is not a configured GitHub host; nothing was sent to it`);
        }
        const admitted = this.admit(url);
        if (!admitted.ok) return admitted;
        let sent = await this.send(url, init);
        // A reset of a reused connection is not an outage: the failed connection is gone, so the one
        // retry goes out on a new one. Requests that may not be repeated are not retried.
        if (sent.reset && ((init.method ?? 'GET') === 'GET' || init.idempotent === true)) {
          this.log(`${url.host} reset the connection (${sent.reset}): retrying once on a new connection`);
          sent = await this.send(url, init);
        }
        const response = sent.result;
        if (!response.ok && (response.error.kind === 'timeout' || response.error.kind === 'network')) {
          this.hostFailed(url, response.error.message, admitted.value);
          return response;
        }
        this.hostAnswered(url);
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

  /** The error of a request to a host in an outage, or null when it may be sent. */
  private outageError(url: URL): Result<never> | null {
    const outage = this.outages.get(url.origin);
    if (!outage || (!outage.probing && outage.openUntil <= this.now())) return null;
    const when = outage.probing ? 'a retry is under way' : `it is tried again after ${new Date(outage.openUntil).toISOString()}`;
    return fail('host-down', `not sent: ${url.host} is not answering (${outage.reason}); ${when}`);
  }

  /** Whether a request may go to the host now; `true` when it is the one probe after a cool-down. */
  private admit(url: URL): Result<boolean> {
    const refused = this.outageError(url);
    if (refused) return refused;
    const outage = this.outages.get(url.origin);
    if (!outage) return ok(false);
    outage.probing = true;
    return ok(true);
  }

  private hostFailed(url: URL, reason: string, probe: boolean): void {
    const openUntil = this.now() + this.cooldownMs;
    const outage = this.outages.get(url.origin);
    if (outage) {
      // The same outage (a failed probe, or another request that was already on its way): said once.
      outage.openUntil = Math.max(outage.openUntil, openUntil);
      if (probe) outage.probing = false;
      return;
    }
    this.outages.set(url.origin, { openUntil, probing: false, reason: shortReason(reason, url.host) });
    const message = `${url.host} is not answering (${shortReason(reason, url.host)}): requests to it fail at once until ${new Date(openUntil).toISOString()}, then one is tried again`;
    this.log(message);
    this.onHostStatus({ state: 'down', origin: url.origin, host: url.host, message, retryAt: openUntil });
  }

  private hostAnswered(url: URL): void {
    if (!this.outages.delete(url.origin)) return;
    const message = `${url.host} answers again`;
    this.log(message);
    this.onHostStatus({ state: 'up', origin: url.origin, host: url.host, message });
  }

  /** One exchange; `reset` names the error code when the connection was reset or closed under the request. */
  private async send(url: URL, init: RequestInit2): Promise<{ result: Result<HttpResponse>; reset?: string }> {
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...init.headers };
    // By origin, redirects included: a hop to the raw host never carries the token.
    if (this.token && init.auth !== 'none' && this.tokenOrigins.has(url.origin)) {
      headers.Authorization =
        init.auth === 'basic' ? `Basic ${Buffer.from(`x-access-token:${this.token}`).toString('base64')}` : `Bearer ${this.token}`;
    }
    const key = url.origin + url.pathname;
    this.requestCount.set(key, (this.requestCount.get(key) ?? 0) + 1);
    const started = this.now();
    const method = init.method ?? 'GET';
    // One deadline for the whole exchange: connecting, the headers and every byte of the body.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`no complete answer within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    try {
      const response = await this.fetchImpl(url, { method, headers, body: init.body, redirect: 'manual', signal: controller.signal });
      const limit = Math.min(this.maxBodyBytes, init.maxBodyBytes ?? this.maxBodyBytes);
      const body = await readBodyLimited(response, limit, controller.signal);
      this.log(`${method} ${url.origin}${url.pathname} → ${response.status} (${this.now() - started} ms)`);
      return { result: ok({ status: response.status, headers: response.headers, body }) };
    } catch (error) {
      // Whatever went wrong, the connection is released now (no body left streaming in).
      controller.abort(error);
      if (error instanceof BodyTooLargeError) {
        this.log(`${method} ${url.origin}${url.pathname}: ${error.message}; the request was aborted`);
        return {
          result: fail(
            'too-large',
            `${url.host} sent a response too large for ${url.pathname} (${error.announced !== undefined ? `${error.announced} bytes announced` : `more than ${error.limit} bytes`}; the limit is ${error.limit}): it was aborted and not used`,
          ),
        };
      }
      const name = error instanceof Error ? error.name : '';
      if (timedOut || name === 'TimeoutError' || name === 'AbortError') {
        return { result: fail('timeout', `${url.host} did not answer within ${this.timeoutMs} ms`) };
      }
      const message = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      const result = fail('network', `could not reach ${url.host}: ${this.redact(message)}`);
      const reset = resetCode(error);
      return reset ? { result, reset } : { result };
    } finally {
      clearTimeout(timer);
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
      const message =
        rateLimitMessage(url.origin, retryAt) + (this.token ? '' : '; a token (actionsWarden.github.token, GITHUB_TOKEN) raises the limit');
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

/** Error codes of a connection reset or closed by the other side while a request was on it. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);

/** The code of a connection reset, from the error or its cause (fetch wraps it), or undefined. */
export function resetCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && RESET_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function rateLimitMessage(origin: string, retryAt: number): string {
  return `GitHub rate limit reached at ${origin}: backing off until ${new Date(retryAt).toISOString()}`;
}

/** The reason of a timeout or network failure without the host name the message starts with. */
function shortReason(message: string, host: string): string {
  const reason = message.replace(`${host} did not answer`, 'no answer').replace(`could not reach ${host}: `, '');
  return reason.length > 120 ? `${reason.slice(0, 120)}…` : reason;
}
