/**
 * Downloading one file the user chose, to hash it: only literal https:// URLs (http:// only for loopback
 * hosts) without `${{ }}` or shell variables; redirects at most 5, https only; no credentials, cookies or
 * token ever sent; a size cap and one deadline for the whole transfer; the body is streamed into the hash,
 * never held in memory.
 */
import { createHash } from 'node:crypto';
import { BodyTooLargeError, streamBody } from './body';

export const MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024;
export const DOWNLOAD_TIMEOUT_MS = 120_000;
export const MAX_DOWNLOAD_REDIRECTS = 5;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** Whether `raw` (a URL as written in the script) may be fetched, and why not. */
export function fetchableUrl(raw: string): Outcome<URL> {
  if (raw.includes('${{'))
    return {
      ok: false,
      message: `\`${raw}\` contains a \`\${{ }}\` expression (a version?), so it cannot be fetched: write the URL with the version in it, or record the checksum by hand`,
    };
  if (/\$[A-Za-z_{(0-9]|`/.test(raw))
    return {
      ok: false,
      message: `\`${raw}\` contains a shell variable (a version?), so it cannot be fetched: write the URL with the version in it, or record the checksum by hand`,
    };
  if (/[\s"'\\<>]/.test(raw)) return { ok: false, message: `\`${raw}\` is not a plain URL` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: `\`${raw}\` is not a URL` };
  }
  if (url.username || url.password) return { ok: false, message: `\`${url.host}\` URLs with credentials are not fetched` };
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname))
    return {
      ok: false,
      message: `\`${raw}\` uses plain http://: its content can be swapped in transit, so its checksum proves nothing. Use https://`,
    };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: `\`${raw}\` is not an http(s) URL` };
  return { ok: true, value: url };
}

export interface HashOptions {
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** For tests; the global fetch by default. */
  fetch?: typeof fetch;
}

export interface Hashed {
  sha256: string;
  bytes: number;
  /** Where the content came from after redirects. */
  finalUrl: string;
}

/** Fetches `raw` once (following at most 5 redirects, https only) and returns the sha256 of its body. */
export async function hashDownload(raw: string, options: HashOptions = {}): Promise<Outcome<Hashed>> {
  const checked = fetchableUrl(raw);
  if (!checked.ok) return checked;
  const maxBytes = options.maxBytes ?? MAX_DOWNLOAD_BYTES;
  const timeoutMs = options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? MAX_DOWNLOAD_REDIRECTS;
  const fetchImpl = options.fetch ?? fetch;
  // One deadline for the whole transfer (redirects and every byte of the body); aborted at once on refusal.
  const controller = new AbortController();
  const signal = controller.signal;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`no complete answer within ${timeoutMs} ms`));
  }, timeoutMs);
  let url = checked.value;
  try {
    for (let hop = 0; ; hop++) {
      // No credentials, no cookies, no token: a bare GET. `identity` so the bytes hashed are the bytes curl saves.
      const response = await fetchImpl(url, {
        method: 'GET',
        redirect: 'manual',
        signal,
        headers: { 'User-Agent': 'actions-warden', Accept: '*/*', 'Accept-Encoding': 'identity' },
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel().catch(() => undefined);
        if (hop >= maxRedirects)
          return { ok: false, message: `${url.host} redirected more than ${maxRedirects} times; nothing was recorded` };
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return { ok: false, message: `${url.host} redirected to an invalid location; nothing was recorded` };
        }
        if (next.protocol !== 'https:')
          return {
            ok: false,
            message: `${url.host} redirected to ${next.protocol}//${next.host}, which is not https: refused; nothing was recorded`,
          };
        if (next.username || next.password)
          return { ok: false, message: `${url.host} redirected to a URL with credentials: refused; nothing was recorded` };
        url = next;
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: false, message: `${url.host} answered ${response.status} for ${url.pathname}; nothing was recorded` };
      }
      const hash = createHash('sha256');
      const bytes = await streamBody(response, maxBytes, signal, (chunk) => void hash.update(chunk));
      return { ok: true, value: { sha256: hash.digest('hex'), bytes, finalUrl: url.href } };
    }
  } catch (error) {
    controller.abort(error);
    if (error instanceof BodyTooLargeError) {
      return error.announced !== undefined
        ? {
            ok: false,
            message: `${url.host} announces ${error.announced} bytes, more than the ${maxBytes}-byte limit; nothing was recorded`,
          }
        : {
            ok: false,
            message: `the download from ${url.host} is larger than the ${maxBytes}-byte limit: it was aborted; nothing was recorded`,
          };
    }
    const name = error instanceof Error ? error.name : '';
    if (timedOut || name === 'TimeoutError' || name === 'AbortError')
      return {
        ok: false,
        message: `the download from ${url.host} did not finish within ${Math.round(timeoutMs / 1000)} s; nothing was recorded`,
      };
    const message = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { ok: false, message: `could not download from ${url.host}: ${message}; nothing was recorded` };
  } finally {
    clearTimeout(timer);
  }
}
