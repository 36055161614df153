import { asSeq, seqItems, nodeSpan } from '../parse/yaml-nodes';
import { columnIndent, insertLinesAfterNodeEnd } from './support/lines';
import type { Rule } from './types';
import type { Fix } from '../findings';

export const dependabotMissingActions: Rule = {
  id: 'dependabot-missing-actions',
  title: 'Dependabot does not update GitHub Actions',
  kinds: ['dependabot'],
  severity: 'low',
  confidence: 'high',
  persona: 'pedantic',
  online: false,
  docs: {
    summary:
      '`.github/dependabot.yml` has no `updates:` entry with `package-ecosystem: github-actions`, so pinned actions are never bumped.',
    why: 'SHA pins (the defence against moved tags such as tj-actions/changed-files in 2025 and trivy-action in 2026) freeze the action at one commit: without an updater they silently miss security fixes, like the patched releases those incidents produced. The file is judged alone; a repository that updates actions with Renovate can ignore this rule.',
    fix: 'Add an entry: `- package-ecosystem: github-actions`, `directory: /`, a `schedule:` and a `cooldown:` (the quick fix appends one).',
  },
  check({ file, report }) {
    const dependabot = file.dependabot;
    if (!dependabot) return;
    const updatesEntry = dependabot.get('updates');
    if (!updatesEntry) return;
    if (dependabot.updates.some((update) => update.string('package-ecosystem')?.value === 'github-actions')) return;
    const fixes: Fix[] = [];
    const seq = asSeq(updatesEntry.value);
    const items = seqItems(seq, file.doc);
    const seqSpan = nodeSpan(seq);
    if (seq && seqSpan && items.length > 0 && seq.flow !== true) {
      const firstItemSpan = nodeSpan(items[0]);
      if (firstItemSpan) {
        const itemIndent = columnIndent(file, firstItemSpan.start);
        const dash = itemIndent.length >= 2 ? itemIndent.slice(2) : '';
        fixes.push({
          title: 'Add a github-actions updates entry',
          isPreferred: true,
          safety: 'unsafe',
          edits: [
            insertLinesAfterNodeEnd(file, seqSpan.end, dash, [
              '- package-ecosystem: github-actions',
              '  directory: /',
              '  schedule:',
              '    interval: weekly',
              '  cooldown:',
              '    default-days: 7',
            ]),
          ],
        });
      }
    }
    report({
      span: updatesEntry.keySpan,
      message: 'Dependabot updates no `github-actions` ecosystem: SHA-pinned actions in this repository will never be bumped',
      fixes,
    });
  },
};
