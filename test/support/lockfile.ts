// Helpers for the actions.lock tests: a lock text, a workflow analysed beside it, a lock analysed with its workflows.
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import type { Finding } from '../../server/src/findings';
import { parseLockText } from '../../server/src/lockfile/read';
import { ParsedFile } from '../../server/src/parse/document';
import { available } from '../../server/src/views';
import { lockfileDrift } from '../../server/src/rules/lockfile-drift';
import { lockfileError } from '../../server/src/rules/lockfile-error';
import { unlockedUses } from '../../server/src/rules/unlocked-uses';
import { unpinnedUses } from '../../server/src/rules/unpinned-uses';

/** The rules these tests are about (the others are tested on their own). */
const LOCK_RULES = [unpinnedUses, unlockedUses, lockfileDrift, lockfileError];

export const SHA_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const SHA_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** An entry of a lock, block style, indented two spaces. */
export function entry(key: string, ref: string, sha: string, uses: string[] = []): string {
  return `  ${key}:\n    ref: ${ref}\n    commit: sha1-${sha}\n    owner_id: 1\n    repo_id: 2\n${uses.length ? `    uses:\n${uses.map((use) => `      - ${use}\n`).join('')}` : ''}`;
}

export function lockText(workflows: Record<string, string[]>, entries: string[], version = 'v0.0.2'): string {
  const list = Object.entries(workflows)
    .map(([path, keys]) => `  ${path}:\n${keys.map((key) => `    - ${key}\n`).join('')}`)
    .join('');
  return `# header\nversion: ${version}\nworkflows:\n${list}dependencies:\n${entries.join('')}`;
}

export const wf = (steps: string) => `on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

/** Findings of a workflow at `.github/workflows/ci.yml` analysed beside the lock `lock` (none: no lock). */
export function workflowFindings(text: string, lock: string | null, ruleId?: string, config: Record<string, unknown> = {}): Finding[] {
  const file = new ParsedFile('file:///repo/.github/workflows/ci.yml', 'workflow', text);
  const findings = analyze(file, {
    ...DEFAULT_ANALYSIS_OPTIONS,
    persona: 'auditor',
    rules: LOCK_RULES,
    ruleConfig: { 'unpinned-uses': config },
    views: lock === null ? {} : { lock: available({ lock: parseLockText(lock), workflowPath: '.github/workflows/ci.yml' }) },
  });
  return ruleId ? findings.filter((finding) => finding.ruleId === ruleId) : findings;
}

/** Findings of a lock analysed with its workflows (path → text; absent paths are missing files). */
export function lockFindings(
  text: string,
  workflows: Record<string, string> | null,
  ruleId?: string,
): { file: ParsedFile; findings: Finding[] } {
  const file = new ParsedFile('file:///repo/.github/workflows/actions.lock', 'lockfile', text);
  const lock = parseLockText(text);
  const findings = analyze(file, {
    ...DEFAULT_ANALYSIS_OPTIONS,
    persona: 'auditor',
    rules: LOCK_RULES,
    views:
      workflows === null
        ? {}
        : {
            lock: available({
              lock,
              workflowPath: null,
              workflow: (path: string) =>
                path in workflows ? new ParsedFile(`file:///repo/${path}`, 'workflow', workflows[path]) : ('missing' as const),
            }),
          },
  });
  return { file, findings: ruleId ? findings.filter((finding) => finding.ruleId === ruleId) : findings };
}
