import { asMap, mapEntries, scalarText } from '../parse/yaml-nodes';
import { MapView } from '../parse/views';
import { insertLinesAbove } from '../fixes/edits';
import { columnIndent, insertLinesAfterNodeEnd } from './support/lines';
import type { Rule } from './types';

/** The cooldown this rule asks for unless configured (`days:`): Astral's policy and zizmor's recommendation. */
const DEFAULT_DAYS = 7;
/**
 * The cooldown Dependabot applies to version updates of every ecosystem, GitHub Actions included, when
 * `dependabot.yml` sets none (dependabot-core announcement "Version updates now have a 3 day cooldown by
 * default"). Security updates never wait.
 */
export const DEPENDABOT_DEFAULT_DAYS = 3;

export const dependabotCooldown: Rule = {
  id: 'dependabot-cooldown',
  title: 'Dependabot updates without a cooldown',
  kinds: ['dependabot'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      "An `updates:` entry of `.github/dependabot.yml` has no `cooldown:` or a `default-days` below 7, so a release is proposed after Dependabot's default of 3 days, or sooner when `default-days` is lower.",
    why: 'Compromised releases are usually caught within days: the malicious tj-actions/changed-files and reviewdog tags (March 2025) were live for hours, the Trivy tags (March 2026) for about 12 hours, and most npm worm releases of 2025 were pulled within a day. A cooldown lets that window pass before your updater proposes the version. Astral requires at least 7 days.',
    fix: 'Add `cooldown: { default-days: 7 }` to every `updates:` entry (the quick fix inserts or raises it).',
  },
  check({ file, config, report }) {
    const dependabot = file.dependabot;
    if (!dependabot) return;
    const minimum =
      typeof config.days === 'number' && Number.isFinite(config.days) && config.days >= 1 ? Math.floor(config.days) : DEFAULT_DAYS;
    // Every entry is judged on its own (zizmor 1.15–1.30 stopped at the first compliant one).
    for (const update of dependabot.updates) {
      const map = update.map;
      const span = update.span;
      if (!map || !span) continue;
      const ecosystem = update.string('package-ecosystem');
      const name = ecosystem ? `\`${ecosystem.value}\`` : 'This';
      const anchor = ecosystem?.span ?? { start: span.start, end: span.start };
      const cooldownEntry = update.get('cooldown');
      if (!cooldownEntry) {
        if (minimum <= DEPENDABOT_DEFAULT_DAYS) continue;
        const firstKey = update.entries[0];
        const indent = firstKey ? columnIndent(file, firstKey.keySpan.start) : '  ';
        report({
          span: anchor,
          message: `${name} updates have no cooldown, so a new release waits only Dependabot's default of ${DEPENDABOT_DEFAULT_DAYS} days. Add \`cooldown: { default-days: ${minimum} }\``,
          severity: 'low',
          fixes: [
            {
              title: `Add a ${minimum}-day cooldown`,
              isPreferred: true,
              safety: 'safe',
              edits: [insertLinesAfterNodeEnd(file, span.end, indent, ['cooldown:', `  default-days: ${minimum}`])],
            },
          ],
        });
        continue;
      }
      const cooldown = new MapView(asMap(cooldownEntry.value), file.doc);
      const days = cooldown.get('default-days');
      if (!days) {
        if (minimum <= DEPENDABOT_DEFAULT_DAYS) continue;
        const first = mapEntries(cooldown.map, file.doc)[0];
        report({
          span: cooldownEntry.keySpan,
          message: `${name} updates have a cooldown without \`default-days\`, so versions not covered by the other keys${ecosystem?.value === 'github-actions' ? ' (all of them for `github-actions`, which takes only `default-days`)' : ''} wait only Dependabot's default of ${DEPENDABOT_DEFAULT_DAYS} days. Set \`default-days: ${minimum}\``,
          severity: 'low',
          fixes: first
            ? [
                {
                  title: `Set default-days: ${minimum}`,
                  isPreferred: true,
                  safety: 'safe',
                  edits: [insertLinesAbove(file, first.keySpan.start, [`default-days: ${minimum}`])],
                },
              ]
            : [],
        });
        continue;
      }
      const text = scalarText(days.value);
      const value = text === null ? NaN : Number(text);
      if (Number.isFinite(value) && value >= minimum) continue;
      if (text !== null && text.includes('${{')) continue;
      report({
        span: days.valueSpan,
        message:
          Number.isFinite(value) && value < DEPENDABOT_DEFAULT_DAYS
            ? `${name} updates wait only ${text} day(s) before proposing a release, less than Dependabot's own default of ${DEPENDABOT_DEFAULT_DAYS}; use at least ${minimum}`
            : `${name} updates wait only ${text ?? 'an unknown number of'} day(s) before proposing a release; use at least ${minimum}`,
        severity: Number.isFinite(value) && value < DEPENDABOT_DEFAULT_DAYS ? 'medium' : 'low',
        fixes: [
          {
            title: `Raise default-days to ${minimum}`,
            isPreferred: true,
            safety: 'safe',
            edits: [{ span: days.valueSpan, newText: String(minimum) }],
          },
        ],
      });
    }
  },
};
