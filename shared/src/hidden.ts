/**
 * The sentence that says how many high-severity findings the persona or the minimum confidence hides, and
 * what shows them. The CLI names its flags, the editor its settings; the counts and the wording are the same.
 */
import { CONFIDENCES, PERSONAS, type Confidence, type Persona } from './settings';

export interface HiddenSummary {
  /** All hidden high-severity findings. */
  count: number;
  /** The persona the files were analysed with (the first file's, when they differ). */
  persona: Persona;
  /** Hidden by the persona: how many each stricter persona shows (cumulative: auditor counts pedantic's too). */
  byPersona: Partial<Record<Persona, number>>;
  /** Hidden by the minimum confidence only (the persona shows them). */
  belowConfidence: number;
  /** The minimum confidence that shows all of those. */
  lowestConfidence?: Confidence;
}

/** How a front end names the switch that shows more: `--persona pedantic`, or a setting. */
export interface HiddenSwitches {
  persona(persona: Persona): string;
  confidence(confidence: Confidence): string;
}

const findings = (count: number) => `${count} high ${count === 1 ? 'finding' : 'findings'}`;

/**
 * `3 high findings hidden by the regular persona: --persona pedantic shows them`, or, when a stricter
 * persona shows more, `8 high findings hidden by the regular persona: --persona pedantic shows 5,
 * --persona auditor all 8`; then the findings the minimum confidence hides. Null when nothing is hidden.
 */
export function hiddenSentence(summary: HiddenSummary | null, switches: HiddenSwitches): string | null {
  if (!summary || summary.count === 0) return null;
  const parts: string[] = [];
  // Each persona that shows more than the one before it (the counts are cumulative).
  const personas: (readonly [Persona, number])[] = [];
  for (const persona of PERSONAS) {
    const count = summary.byPersona[persona] ?? 0;
    if (count > (personas[personas.length - 1]?.[1] ?? 0)) personas.push([persona, count]);
  }
  if (personas.length > 0) {
    const total = personas[personas.length - 1][1];
    const shows = personas.map(([persona, count], index) =>
      index === 0 && personas.length === 1
        ? `${switches.persona(persona)} shows ${count === 1 ? 'it' : 'them'}`
        : index === personas.length - 1
          ? `${switches.persona(persona)} all ${count}`
          : `${switches.persona(persona)} shows ${count}`,
    );
    parts.push(`${findings(total)} hidden by the ${summary.persona} persona: ${shows.join(', ')}`);
  }
  if (summary.belowConfidence > 0 && summary.lowestConfidence) {
    const count = summary.belowConfidence;
    parts.push(
      `${findings(count)} hidden by the minimum confidence: ${switches.confidence(summary.lowestConfidence)} shows ${count === 1 ? 'it' : 'them'}`,
    );
  }
  return parts.join('; ');
}

/** A hidden high-severity finding: its persona and confidence, and the persona it was analysed under. */
export interface HiddenEntry {
  persona: Persona;
  confidence: Confidence;
  shownPersona: Persona;
}

/** Counts hidden high-severity findings by what would show them; null when there is none. */
export function summarizeHiddenEntries(entries: readonly HiddenEntry[], persona: Persona): HiddenSummary | null {
  if (entries.length === 0) return null;
  const byPersona: Partial<Record<Persona, number>> = {};
  let belowConfidence = 0;
  let lowestConfidence: Confidence | undefined;
  for (const entry of entries) {
    const needed = PERSONAS.indexOf(entry.persona);
    if (needed > PERSONAS.indexOf(entry.shownPersona)) {
      for (const stricter of PERSONAS.slice(needed)) byPersona[stricter] = (byPersona[stricter] ?? 0) + 1;
    } else {
      belowConfidence++;
      if (!lowestConfidence || CONFIDENCES.indexOf(entry.confidence) < CONFIDENCES.indexOf(lowestConfidence))
        lowestConfidence = entry.confidence;
    }
  }
  return { count: entries.length, persona, byPersona, belowConfidence, ...(lowestConfidence ? { lowestConfidence } : {}) };
}

/** The editor's switches: the settings that show more. */
export const SETTINGS_SWITCHES: HiddenSwitches = {
  persona: (persona) => `setting \`actionsWarden.persona\` to \`${persona}\``,
  confidence: (confidence) => `setting \`actionsWarden.minConfidence\` to \`${confidence}\``,
};
