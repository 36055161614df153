/**
 * Where the engine's time goes: parse (ParsedFile), the shared lazy data (expressions), each rule, and
 * the engine's own filtering, over a corpus, in CPU ms. For `--cpu-prof` runs too:
 *
 *   BENCH_ENTRY=profile node scripts/bench/run.mjs [corpus] [--rounds N]
 *   BENCH_ENTRY=profile BENCH_NODE_ARGS=--cpu-prof node scripts/bench/run.mjs --plain   (parse + analyze only; profile in the cwd)
 */
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import { ParsedFile } from '../../server/src/parse/document';
import { clearTextMemos } from '../../server/src/parse/text-memo';
import { RULES } from '../../server/src/rules';
import { defaultCorpus, loadCorpus } from './corpus';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 3;
const folder = args.find((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--rounds') ?? defaultCorpus(resolve(__dirname, '..', '..'))!;
const files = loadCorpus(folder);
const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
if (args.includes('--plain')) {
  // Only what the product does (parse + analyze), for a clean --cpu-prof.
  for (let round = 0; round <= rounds; round++) for (const file of files) analyze(new ParsedFile(`file:///c/${file.path}`, file.kind, file.text), { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' });
  process.exit(0);
}
const times = new Map<string, number>();
const add = (key: string, value: number) => times.set(key, (times.get(key) ?? 0) + value);
for (let round = 0; round <= rounds; round++) {
  const measured = round > 0;
  clearTextMemos();
  for (const file of files) {
    let t = cpu();
    parseDocument(file.text, { lineCounter: new LineCounter(), prettyErrors: false });
    if (measured) add('floor: yaml parseDocument + LineCounter', cpu() - t);
    t = cpu();
    const parsed = new ParsedFile(`file:///c/${file.path}`, file.kind, file.text);
    if (measured) add('parse: ParsedFile', cpu() - t);
    t = cpu();
    void parsed.expressions;
    if (measured) add('parse: expressions (lazy)', cpu() - t);
    for (const rule of RULES) {
      if (!rule.kinds.includes(file.kind)) continue;
      t = cpu();
      try {
        rule.check({ file: parsed, config: {}, report: () => undefined });
      } catch {
        // Counted by the engine as internal-error; not our concern here.
      }
      if (measured) add(`rule: ${rule.id}`, cpu() - t);
    }
    t = cpu();
    analyze(parsed, { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' });
    if (measured) add('engine: analyze() again on the same ParsedFile (rules + engine)', cpu() - t);
  }
}
const floor = times.get('floor: yaml parseDocument + LineCounter')!;
const rows = [...times].sort((a, b) => b[1] - a[1]);
for (const [key, value] of rows) console.log(`${(value / rounds).toFixed(1).padStart(9)} ms  ${((value / floor) * 100).toFixed(1).padStart(6)}% of floor  ${key}`);
