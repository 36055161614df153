/** Settings shared by the client and the server (`actionsWarden.*` in VS Code). */
import { completeHosts } from './github-hosts';

export type Severity = 'informational' | 'low' | 'medium' | 'high';
export type Confidence = 'low' | 'medium' | 'high';
/** regular < pedantic < auditor: each persona sees the findings of the ones before it. */
export type Persona = 'regular' | 'pedantic' | 'auditor';

export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high'];
export const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];
export const PERSONAS: readonly Persona[] = ['regular', 'pedantic', 'auditor'];
/** Which files the language server publishes diagnostics for: every Actions file of the workspace, or only the open ones. */
export type Scope = 'workspace' | 'openFiles';
export const SCOPES: readonly Scope[] = ['workspace', 'openFiles'];

export interface WardenSettings {
  enable: boolean;
  persona: Persona;
  minSeverity: Severity;
  /** Hide findings below this confidence. */
  minConfidence: Confidence;
  /** Milliseconds between the last edit and re-analysis. */
  debounceMs: number;
  /** No network requests at all: online checks and pin fixes are off (and the editor says so). */
  offline: boolean;
  /** Online, read the `action.yml` of every action used at its commit (and theirs) and report what is inside. */
  followDependencies: boolean;
  pinning: PinningSettings;
  /** `workspace`: the files of the workspace folders are indexed and analysed too, open or not; `openFiles`: only open documents get diagnostics. */
  scope: Scope;
  github: GitHubSettings;
  /** Inlay hints: the release a SHA pin is, when its comment does not say it truthfully (`inlayHints.enable`). */
  inlayHints: boolean;
  /** Code lenses: each job's token permissions, privileged triggers (`codeLens.enable`). */
  codeLens: boolean;
}

/** `sha` rewrites `uses:` to commit SHAs; `lockfile` leaves them to GitHub's actions.lock; `auto` picks lockfile where a lock exists. */
export type PinningStyle = 'sha' | 'lockfile' | 'auto';
export const PINNING_STYLES: readonly PinningStyle[] = ['sha', 'lockfile', 'auto'];

export interface PinningSettings {
  /** `actionsWarden.pinning.style`: how pin fixes pin (a repository's `pinning.style` wins). */
  style: PinningStyle;
  /**
   * Days a release must have been out before "update" prefers it (younger ones are offered, not preferred).
   * The repository's `pinning.min-release-age-days` wins; Dependabot's cooldown for github-actions raises it.
   */
  minReleaseAgeDays: number;
}

/** GitHub's lockfile tool waits this long before it takes a new release. */
export const DEFAULT_MIN_RELEASE_AGE_DAYS = 3;

export interface GitHubSettings {
  /** Web origin serving git (`https://github.com` or a GitHub Enterprise Server host). */
  serverUrl: string;
  /** REST API base (`https://api.github.com`, or `https://<ghes>/api/v3`). */
  apiUrl: string;
  /** Optional token (raises rate limits, reaches private repositories). Sent only to the two hosts above. */
  token: string;
}

export const DEFAULT_SETTINGS: WardenSettings = {
  enable: true,
  persona: 'regular',
  minSeverity: 'informational',
  minConfidence: 'low',
  debounceMs: 150,
  offline: false,
  followDependencies: true,
  pinning: { style: 'auto', minReleaseAgeDays: DEFAULT_MIN_RELEASE_AGE_DAYS },
  scope: 'workspace',
  github: { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', token: '' },
  inlayHints: true,
  codeLens: true,
};

/** Reads settings from an untrusted object (client configuration), falling back field by field. */
export function normalizeSettings(raw: unknown): WardenSettings {
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const pick = <T>(value: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
  const debounce =
    typeof input.debounceMs === 'number' && Number.isFinite(input.debounceMs) ? input.debounceMs : DEFAULT_SETTINGS.debounceMs;
  return {
    enable: typeof input.enable === 'boolean' ? input.enable : DEFAULT_SETTINGS.enable,
    persona: pick(input.persona, PERSONAS, DEFAULT_SETTINGS.persona),
    minSeverity: pick(input.minSeverity, SEVERITIES, DEFAULT_SETTINGS.minSeverity),
    minConfidence: pick(input.minConfidence, CONFIDENCES, DEFAULT_SETTINGS.minConfidence),
    debounceMs: Math.max(0, Math.min(5000, debounce)),
    offline: typeof input.offline === 'boolean' ? input.offline : DEFAULT_SETTINGS.offline,
    followDependencies: typeof input.followDependencies === 'boolean' ? input.followDependencies : DEFAULT_SETTINGS.followDependencies,
    pinning: normalizePinning(input.pinning),
    scope: pick(input.scope, SCOPES, DEFAULT_SETTINGS.scope),
    github: normalizeGitHub(input.github),
    inlayHints: enabled(input.inlayHints, DEFAULT_SETTINGS.inlayHints),
    codeLens: enabled(input.codeLens, DEFAULT_SETTINGS.codeLens),
  };
}

function normalizePinning(raw: unknown): PinningSettings {
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const days = input.minReleaseAgeDays;
  return {
    style: PINNING_STYLES.includes(input.style as PinningStyle) ? (input.style as PinningStyle) : DEFAULT_SETTINGS.pinning.style,
    minReleaseAgeDays:
      typeof days === 'number' && Number.isFinite(days) ? Math.max(0, Math.min(365, Math.floor(days))) : DEFAULT_MIN_RELEASE_AGE_DAYS,
  };
}

/** `{ enable: boolean }` (how VS Code nests `section.enable`), else the default. */
function enabled(raw: unknown, fallback: boolean): boolean {
  const value = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).enable : undefined;
  return typeof value === 'boolean' ? value : fallback;
}

/** Hosts as given; when only one is given, the other follows it (a GHES server URL alone moves the API to `<server>/api/v3`). */
function normalizeGitHub(raw: unknown): GitHubSettings {
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  return {
    ...completeHosts(text(input.serverUrl), text(input.apiUrl)),
    token: typeof input.token === 'string' ? input.token.trim() : '',
  };
}
