import { findExpressions } from '../parse/expressions';
import { asScalar } from '../parse/yaml-nodes';
import { conditions } from './support/evaluated-expressions';
import type { Rule } from './types';
import type { Fix } from '../findings';
import { trimEndOf } from '../parse/strings';

/** True when the text is exactly one `${{ }}` and nothing else (not even whitespace). */
function isSingleFence(text: string): boolean {
  const found = findExpressions(text);
  return found.length === 1 && found[0].terminated && found[0].start === 0 && found[0].end === text.length;
}

export const unsoundCondition: Rule = {
  id: 'unsound-condition',
  title: '`if:` that is always true',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      "An `if:` whose value is more than one `${{ }}` (a block scalar's trailing newline, text around the fence, two fences) is a string, not an expression, and every non-empty string is true.",
    why: 'GitHub evaluates an `if:` as an expression only when the whole value is one `${{ }}`; otherwise it interpolates the fences into a string, which is truthy. `if: |` with a `${{ }}` inside therefore always runs the step: guards such as `github.event.pull_request.head.repo.fork == false` in front of secret-using or publishing steps silently stop guarding.',
    fix: 'Write the condition on one line without a fence (`if: a && b`), or use a stripping block header (`|-`, `>-`; the quick fix does that), or put all the text inside one `${{ }}`.',
  },
  check({ file, report }) {
    for (const { entry, owner } of conditions(file)) {
      const scalar = asScalar(entry.value);
      if (!scalar || typeof scalar.value !== 'string') continue;
      const value = scalar.value;
      if (!value.includes('${{') || isSingleFence(value)) continue;
      const fixes: Fix[] = [];
      const block = scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED';
      if (block && isSingleFence(trimEndOf(value, '\n'))) {
        const header = /^([|>])([1-9]?)([+-]?)([1-9]?)/.exec(file.text.slice(entry.valueSpan.start, entry.valueSpan.start + 4));
        if (header) {
          fixes.push({
            title: `Strip the trailing newline (\`${header[1]}-\`)`,
            isPreferred: true,
            safety: 'safe',
            edits: [
              {
                span: { start: entry.valueSpan.start, end: entry.valueSpan.start + header[0].length },
                newText: `${header[1]}${header[2] || header[4]}-`,
              },
            ],
          });
        }
      }
      const reason = block && fixes.length > 0 ? 'the block scalar keeps a trailing newline' : 'it has text outside its `${{ }}`';
      report({
        span: entry.valueSpan,
        message: `The \`if:\` of ${owner} is always true: ${reason}, so GitHub reads it as a non-empty string instead of evaluating the condition`,
        fixes,
      });
    }
  },
};
