import type { ParsedFile } from '../parse/document';
import type { MapView } from '../parse/views';
import { scalarText } from '../parse/yaml-nodes';
import type { Rule } from './types';
import type { OffsetEdit } from '../findings';

const NAME = 'ACTIONS_ALLOW_UNSECURE_COMMANDS';

function envMaps(file: ParsedFile): MapView[] {
  const maps: MapView[] = [];
  const workflow = file.workflow;
  if (workflow) {
    maps.push(workflow.env);
    for (const job of workflow.jobs) {
      maps.push(job.env);
      for (const step of job.steps) maps.push(step.env);
    }
  }
  if (file.action) for (const step of file.action.steps) maps.push(step.env);
  return maps;
}

/** Removes the whole lines of an entry (and of `env:` when it was the only entry). */
function removeEntry(file: ParsedFile, env: MapView, index: number): OffsetEdit | null {
  const lines = file.lines;
  const entry = env.entries[index];
  if (env.map?.flow) return null;
  const startLine = lines.lineAt(entry.keySpan.start);
  if (
    lines
      .lineText(startLine)
      .slice(0, entry.keySpan.start - lines.lineStarts[startLine])
      .trim() !== ''
  )
    return null;
  const endLine = lines.lineAt(Math.max(entry.keySpan.end, entry.valueSpan.end - 1));
  const end = endLine + 1 < lines.lineCount ? lines.lineStarts[endLine + 1] : file.text.length;
  return { span: { start: lines.lineStarts[startLine], end }, newText: '' };
}

export const insecureCommands: Rule = {
  id: 'insecure-commands',
  title: 'Deprecated workflow commands re-enabled',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      '`ACTIONS_ALLOW_UNSECURE_COMMANDS` turns the `::set-env::` and `::add-path::` log commands back on, so anything a step prints can set environment variables of later steps.',
    why: "GitHub disabled these commands in 2020 (CVE-2020-15228) because any text a step prints — a pull request title echoed by a test, a dependency's output — could set `LD_PRELOAD`, `NODE_OPTIONS` or `PATH` for the following steps and take over the job.",
    fix: 'Remove the variable and write to the `$GITHUB_ENV` and `$GITHUB_PATH` files instead. The quick fix removes the entry.',
  },
  check({ file, report }) {
    for (const env of envMaps(file)) {
      env.entries.forEach((entry, index) => {
        if (entry.key.toUpperCase() !== NAME) return;
        const value = (scalarText(entry.value) ?? '').trim().toLowerCase();
        if (value === 'false' || value === '0' || value === '') return;
        const edit = removeEntry(file, env, index);
        report({
          span: entry.keySpan,
          message: `\`${NAME}: ${value}\` lets any text printed by a step set environment variables and PATH for the following steps`,
          confidence: value.includes('${{') ? 'medium' : 'high',
          fixes: edit ? [{ title: `Remove \`${NAME}\``, isPreferred: true, safety: 'unsafe', edits: [edit] }] : [],
        });
      });
    }
  },
};
