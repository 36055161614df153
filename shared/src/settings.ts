/** Settings shared by the client and the server (`actionsWarden.*` in VS Code). */

export type Severity = 'informational' | 'low' | 'medium' | 'high';
export type Confidence = 'low' | 'medium' | 'high';
/** regular < pedantic < auditor: each persona sees the findings of the ones before it. */
export type Persona = 'regular' | 'pedantic' | 'auditor';

export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high'];
export const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];
export const PERSONAS: readonly Persona[] = ['regular', 'pedantic', 'auditor'];

export interface WardenSettings {
  enable: boolean;
  persona: Persona;
  minSeverity: Severity;
  /** Milliseconds between the last edit and re-analysis. */
  debounceMs: number;
}

export const DEFAULT_SETTINGS: WardenSettings = {
  enable: true,
  persona: 'regular',
  minSeverity: 'informational',
  debounceMs: 150,
};

/** Reads settings from an untrusted object (client configuration), falling back field by field. */
export function normalizeSettings(raw: unknown): WardenSettings {
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const pick = <T>(value: unknown, allowed: readonly T[], fallback: T): T =>
    allowed.includes(value as T) ? (value as T) : fallback;
  const debounce = typeof input.debounceMs === 'number' && Number.isFinite(input.debounceMs) ? input.debounceMs : DEFAULT_SETTINGS.debounceMs;
  return {
    enable: typeof input.enable === 'boolean' ? input.enable : DEFAULT_SETTINGS.enable,
    persona: pick(input.persona, PERSONAS, DEFAULT_SETTINGS.persona),
    minSeverity: pick(input.minSeverity, SEVERITIES, DEFAULT_SETTINGS.minSeverity),
    debounceMs: Math.max(0, Math.min(5000, debounce)),
  };
}
