/**
 * A small key/value cache in memory and, when a folder is given, on disk (one JSON file per entry,
 * written atomically). Entries expire after a TTL chosen by the reader, because tags move. Disk errors
 * are ignored: the cache is an optimisation, never a source of failure.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

interface Stored<T> {
  storedAt: number;
  value: T;
}

const FORMAT = 1;

export class TtlCache {
  private readonly memory = new Map<string, Stored<unknown>>();

  constructor(
    private readonly dir: string | null,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(key: string, ttlMs: number): T | undefined {
    const inMemory = this.memory.get(key);
    if (inMemory && this.now() - inMemory.storedAt < ttlMs) return inMemory.value as T;
    if (!this.dir) return undefined;
    try {
      const stored = JSON.parse(readFileSync(this.file(key), 'utf8')) as Stored<T> & { format?: number; key?: string };
      if (stored.format !== FORMAT || stored.key !== key || typeof stored.storedAt !== 'number') return undefined;
      if (this.now() - stored.storedAt >= ttlMs || stored.storedAt > this.now() + 60_000) return undefined;
      this.memory.set(key, { storedAt: stored.storedAt, value: stored.value });
      return stored.value;
    } catch {
      return undefined;
    }
  }

  set<T>(key: string, value: T, persist = true): void {
    const stored: Stored<T> = { storedAt: this.now(), value };
    this.memory.set(key, stored);
    if (!this.dir || !persist) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      const file = this.file(key);
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temporary, JSON.stringify({ format: FORMAT, key, ...stored }));
      renameSync(temporary, file);
    } catch {
      // A read-only or full disk only costs a request next time.
    }
  }

  clearMemory(): void {
    this.memory.clear();
  }

  private file(key: string): string {
    return join(this.dir!, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  }
}

/**
 * The CLI's cache folder: `$XDG_CACHE_HOME/actions-warden`, else `~/.cache/actions-warden` (LOCALAPPDATA on
 * Windows). Chosen by the user's environment only; a relative XDG_CACHE_HOME is ignored, as the XDG
 * specification asks, so the cache never lands in the working folder (often the scanned repository).
 */
export function defaultCliCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'actions-warden');
  if (process.platform === 'win32' && env.LOCALAPPDATA && isAbsolute(env.LOCALAPPDATA))
    return join(env.LOCALAPPDATA, 'actions-warden', 'cache');
  return join(homedir(), '.cache', 'actions-warden');
}
