/**
 * Fix safety over the corpus: for findings with a fix (offline fixes, and pin fixes computed against an
 * in-process fake snapshot of resolved tags), applying the fix must leave a document that parses, drop
 * the finding, and add no finding of any other kind; applying all non-overlapping preferred fixes of a
 * file at once must give the same text as applying them one at a time with re-analysis in between.
 *
 * The default run samples (WARDEN_FIX_SAFETY_LIMIT fix applications, default 400); set it to 0 for all.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine';
import { SYNTAX_ERROR_RULE, type Finding, type Fix } from '../../server/src/findings';
import { applyEdits } from '../../server/src/fixes/edits';
import { ParsedFile } from '../../server/src/parse/document';
import { attachSnapshot, emptySnapshot, resolvableRemote, type OnlineSnapshot } from '../../server/src/resolve/snapshot';
import { repoKey } from '../../server/src/resolve/types';
import { AUDITOR, seedFiles, type Seed } from '../support/fuzz';

const ROOT = join(__dirname, '..', '..', '..');
const LIMIT = Number(process.env.WARDEN_FIX_SAFETY_LIMIT ?? 400);
/** Failures already reported (rule, fix, symptom); see docs/performance.md "Fix safety". */
const KNOWN: RegExp[] = [];
const fakeSha = (label: string) => createHash('sha1').update(label).digest('hex');

/** Every remote repository resolves: each ref used is a tag on a fake commit, commits are reachable. */
function fakeSnapshot(file: ParsedFile): OnlineSnapshot {
  const snapshot = emptySnapshot(false);
  for (const site of file.uses) {
    const uses = resolvableRemote(site);
    if (!uses) continue;
    const key = repoKey(uses.owner, uses.repo);
    const refs = snapshot.repos.get(key);
    const existing = refs?.ok
      ? refs.value
      : {
          repository: key,
          tags: [],
          branches: [{ name: 'main', kind: 'branch' as const, commit: fakeSha(`${key}@main`) }],
          defaultBranch: 'main',
          fetchedAt: 0,
        };
    if (uses.refKind === 'sha') snapshot.memberships.set(`${key}@${uses.ref}`, { status: 'reachable', via: 'main' });
    else if (uses.ref && uses.ref !== 'main' && !existing.tags.some((tag) => tag.name === uses.ref))
      existing.tags.push({ name: uses.ref, kind: 'tag', commit: fakeSha(`${key}@${uses.ref}`) });
    snapshot.repos.set(key, { ok: true, value: existing });
  }
  return snapshot;
}

function analyzeWith(seed: Seed, text: string, snapshot: OnlineSnapshot): Finding[] {
  const file = new ParsedFile(`file:///corpus/${seed.path}`, seed.kind, text);
  attachSnapshot(file, snapshot);
  return analyze(file, AUDITOR);
}

const counts = (findings: readonly Finding[]) => {
  const map = new Map<string, number>();
  for (const finding of findings) map.set(finding.ruleId, (map.get(finding.ruleId) ?? 0) + 1);
  return map;
};
const editsKey = (fix: Fix) => fix.edits.map((edit) => `${edit.span.start}-${edit.span.end}:${edit.newText}`).join(';');
const fixSpan = (fix: Fix) => ({
  start: Math.min(...fix.edits.map((e) => e.span.start)),
  end: Math.max(...fix.edits.map((e) => e.span.end)),
});

test('fix safety: every fix across the corpus parses, removes its finding and adds nothing else', (t) => {
  const seeds = seedFiles(ROOT);
  const failures: string[] = [];
  let applied = 0;
  let together = 0;
  outer: for (const seed of seeds) {
    const base = new ParsedFile(`file:///corpus/${seed.path}`, seed.kind, seed.text);
    const snapshot = fakeSnapshot(base);
    const before = analyzeWith(seed, seed.text, snapshot);
    const beforeCounts = counts(before);
    const syntaxBefore = beforeCounts.get(SYNTAX_ERROR_RULE) ?? 0;
    const seen = new Set<string>();
    for (const finding of before) {
      for (const fix of finding.fixes) {
        if (fix.edits.length === 0 || seen.has(`${finding.ruleId}|${editsKey(fix)}`)) continue;
        seen.add(`${finding.ruleId}|${editsKey(fix)}`);
        if (LIMIT > 0 && applied >= LIMIT) break outer;
        applied++;
        const where = `${finding.ruleId} "${fix.title}" in ${seed.path}:${finding.range.start.line + 1}`;
        let text: string;
        try {
          text = applyEdits(seed.text, fix.edits);
        } catch (error) {
          failures.push(`${where}: edits do not apply (${String(error)})`);
          continue;
        }
        const after = analyzeWith(seed, text, snapshot);
        const afterCounts = counts(after);
        if ((afterCounts.get(SYNTAX_ERROR_RULE) ?? 0) > syntaxBefore)
          failures.push(`${where}: the result does not parse (${after.find((f) => f.ruleId === SYNTAX_ERROR_RULE)?.message})`);
        // Gone, or changed (a finding with one partial fix per job names fewer jobs afterwards).
        const sameBefore = before.filter((f) => f.ruleId === finding.ruleId && f.message === finding.message).length;
        const sameAfter = after.filter((f) => f.ruleId === finding.ruleId && f.message === finding.message).length;
        if (sameAfter >= sameBefore) failures.push(`${where}: the finding is still there`);
        for (const [rule, count] of afterCounts) {
          if (rule !== finding.ruleId && count > (beforeCounts.get(rule) ?? 0))
            failures.push(
              `${where}: adds a ${rule} finding (${after.find((f) => f.ruleId === rule && !before.some((b) => b.message === f.message))?.message ?? ''})`,
            );
        }
      }
    }
    // All preferred, non-overlapping fixes together vs one at a time (from the end, re-analysing in between).
    const chosen: Fix[] = [];
    for (const finding of [...before].sort((a, b) => a.span.start - b.span.start)) {
      const fix = finding.fixes.find((candidate) => candidate.isPreferred) ?? finding.fixes[0];
      if (!fix || fix.edits.length === 0) continue;
      const span = fixSpan(fix);
      if (chosen.some((other) => editsKey(other) === editsKey(fix))) continue;
      if (chosen.some((other) => fixSpan(other).start <= span.end && span.start <= fixSpan(other).end)) continue;
      chosen.push(fix);
    }
    if (chosen.length < 2) continue;
    together++;
    const all = applyEdits(
      seed.text,
      chosen.flatMap((fix) => fix.edits),
    );
    let text = seed.text;
    let complete = true;
    for (const fix of [...chosen].sort((a, b) => fixSpan(b).start - fixSpan(a).start)) {
      const current = analyzeWith(seed, text, snapshot).flatMap((finding) => finding.fixes);
      const again = current.find((candidate) => candidate.title === fix.title && editsKey(candidate) === editsKey(fix));
      if (!again) {
        complete = false;
        break;
      }
      text = applyEdits(text, again.edits);
    }
    if (complete && text !== all)
      failures.push(`${seed.path}: applying ${chosen.length} fixes together differs from applying them one by one`);
  }
  assert.ok(applied > 0 || seeds.length < 5, 'some fixes were checked');
  // Known failures found by this test over the whole corpus (listed in docs/performance.md, assigned to the
  // rules' owners): kept visible as diagnostics, not failing the suite. Any other failure fails it.
  const known = failures.filter((failure) => KNOWN.some((pattern) => pattern.test(failure)));
  for (const failure of known) t.diagnostic(`known: ${failure}`);
  const unknown = failures.filter((failure) => !known.includes(failure));
  assert.deepEqual(
    unknown.slice(0, Number(process.env.WARDEN_FIX_SAFETY_SHOW ?? 30)),
    [],
    `${failures.length} failures over ${applied} fixes and ${together} files with several fixes`,
  );
});
