/**
 * The output channel. It is a LogOutputChannel (levels trace…error, chosen with "Developer: Set Log Level…")
 * wrapped so that nothing that looks like a GitHub token, equals the current session token or is a URL's
 * `user:password@`, is ever written,
 * whoever writes: this client, vscode-languageclient's own messages, or the LSP message trace.
 */
import * as vscode from 'vscode';
import { redactUrlCredentials } from '../../shared/src/github-hosts';

const TOKEN_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // classic and app tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, // fine-grained personal access tokens
  /\b(authorization["']?\s*[:=]\s*["']?(?:bearer|token|basic)\s+)[^\s"',}]+/gi,
  /("token"\s*:\s*")[^"]+(")/g, // the githubToken notification's params in a trace
];

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('«redacted»');
  out = redactUrlCredentials(out);
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match: string, before?: string, after?: string) =>
      typeof before === 'string' && match.startsWith(before)
        ? `${before}«redacted»${typeof after === 'string' ? after : ''}`
        : '«redacted»',
    );
  }
  return out;
}

const TEXT_METHODS = new Set(['append', 'appendLine', 'replace', 'trace', 'debug', 'info', 'warn', 'error']);

/** Keeps the last lines written (after redaction) so the end-to-end tests can check what reached the channel. */
export class RecentLines {
  private readonly lines: string[] = [];
  constructor(private readonly max = 500) {}
  push(text: string): void {
    this.lines.push(text);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  all(): string[] {
    return [...this.lines];
  }
}

export function redactingChannel(
  channel: vscode.LogOutputChannel,
  secrets: () => Iterable<string>,
  recent?: RecentLines,
): vscode.LogOutputChannel {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value, secrets());
    if (value instanceof Error) return redact(value.stack ?? value.message, secrets());
    return value;
  };
  return new Proxy(channel, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && TEXT_METHODS.has(property)) {
        return (...args: unknown[]) => {
          const cleaned = args.map(clean);
          recent?.push(cleaned.filter((arg) => typeof arg === 'string').join(' '));
          return (value as (...a: unknown[]) => unknown).apply(target, cleaned);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
