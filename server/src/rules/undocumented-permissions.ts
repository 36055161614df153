/**
 * undocumented-permissions (pedantic): a job-level permission without a comment saying why it is needed.
 * `contents: read`, `none` levels and `{}` need no comment. A comment on the scope's line or on the line
 * directly above it counts. The fix adds the reason the inference found (`# gh pr comment`), when it found one.
 */
import { isMap } from 'yaml';
import { inferJobPermissions } from '../permissions/infer';
import { MapView } from '../parse/views';
import { asMap, scalarText } from '../parse/yaml-nodes';
import type { Rule } from './types';
import type { Fix } from '../findings';

export const undocumentedPermissions: Rule = {
  id: 'undocumented-permissions',
  title: 'Job permission without a comment saying why',
  kinds: ['workflow'],
  severity: 'low',
  confidence: 'high',
  persona: 'pedantic',
  online: false,
  docs: {
    summary:
      'A scope granted in a job-level `permissions:` block has no comment explaining which step needs it (`contents: read` is exempt).',
    why: 'A write scope nobody can explain is never removed: when the step that needed `pull-requests: write` goes away, the grant stays, and the next compromised action in that job inherits it. Astral and zizmor document every grant next to it.',
    fix: 'Add a short comment naming the step or command that needs the scope, e.g. `pull-requests: write  # gh pr comment`. The quick fix inserts the reason the inference found.',
  },
  check(context) {
    const workflow = context.file.workflow;
    if (!workflow) return;
    const text = context.file.text;
    const lines = context.file.lines;
    for (const job of workflow.jobs) {
      const block = job.permissions;
      if (!block || !block.value || !isMap(block.value)) continue;
      let inferred: ReturnType<typeof inferJobPermissions> | null = null;
      for (const scope of new MapView(asMap(block.value), context.file.doc).entries) {
        const level = scalarText(scope.value);
        if (level === 'none' || (scope.key === 'contents' && level === 'read')) continue;
        const line = lines.lineAt(scope.keySpan.start);
        const end = lines.lineContentEnd(lines.lineAt(scope.valueSpan.end));
        const rest = text.slice(scope.valueSpan.end, end);
        const above = line > 0 ? lines.lineText(line - 1).trim() : '';
        if (/(^|\s)#/.test(rest) || above.startsWith('#')) continue;
        inferred ??= inferJobPermissions(workflow, job);
        const found = inferred.scopes.find((s) => s.scope === scope.key);
        const whats = found ? [...new Set(found.uses.map((use) => use.what))].slice(0, 3) : [];
        const fixes: Fix[] =
          whats.length > 0 && /^[ \t]*$/.test(rest)
            ? [
                {
                  title: `Add comment \`# ${whats.join('; ')}\``,
                  isPreferred: true,
                  safety: 'safe',
                  edits: [{ span: { start: scope.valueSpan.end, end: scope.valueSpan.end }, newText: `  # ${whats.join('; ')}` }],
                },
              ]
            : [];
        context.report({
          span: scope.keySpan,
          message: `\`${scope.key}: ${level ?? '?'}\` in job \`${job.id}\` has no comment saying why${whats.length > 0 ? ` (it appears to be used by ${whats.map((w) => `\`${w}\``).join(', ')})` : ''}`,
          fixes,
        });
      }
    }
  },
};
