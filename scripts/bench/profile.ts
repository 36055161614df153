/**
 * Where the engine's time goes: parse (ParsedFile), the shared lazy data (expressions), each rule, and
 * the engine's own filtering, over a corpus, in CPU ms. For `--cpu-prof` runs too:
 *
 *   BENCH_ENTRY=profile node scripts/bench/run.mjs [corpus] [--rounds N]
 *   BENCH_ENTRY=profile BENCH_NODE_ARGS=--cpu-prof node scripts/bench/run.mjs --plain   (parse + analyze only; profile in the cwd)
 *   BENCH_ENTRY=profile node scripts/bench/run.mjs --split [--rounds N]
 *     (wall time, each side a block over the corpus: the floor; ParsedFile alone; ParsedFile and analyze
 *     file by file, each timed apart — the parse costs more when every document is also analysed)
 */
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import { ParsedFile } from '../../server/src/parse/document';
import { clearTextMemos } from '../../server/src/parse/text-memo';
import { RULES } from '../../server/src/rules';
import { defaultCorpus, loadCorpus } from './corpus';
import { NO_VIEWS } from '../../server/src/views';

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
  for (let round = 0; round <= rounds; round++)
    for (const file of files)
      analyze(new ParsedFile(`file:///c/${file.path}`, file.kind, file.text), { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' });
  process.exit(0);
}
if (args.includes('--split')) {
  const options = { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' as const };
  const rows: Record<string, number[]> = {
    'floor: yaml parseDocument + LineCounter': [],
    'ParsedFile alone (parse, nesting check, views)': [],
    'ParsedFile, when each file is then analysed': [],
    'analyze(), of those files': [],
    'ParsedFile + analyze(), file by file': [],
  };
  const [floorRow, aloneRow, parseRow, analyseRow, bothRow] = Object.values(rows);
  for (let round = 0; round < rounds + 2; round++) {
    clearTextMemos();
    let t = performance.now();
    for (const file of files) parseDocument(file.text, { lineCounter: new LineCounter(), prettyErrors: false });
    const floor = performance.now() - t;
    t = performance.now();
    for (const file of files) new ParsedFile(`file:///c/${file.path}`, file.kind, file.text);
    const alone = performance.now() - t;
    clearTextMemos();
    let parse = 0;
    let analyse = 0;
    t = performance.now();
    for (const file of files) {
      const t0 = performance.now();
      const parsed = new ParsedFile(`file:///c/${file.path}`, file.kind, file.text);
      const t1 = performance.now();
      analyze(parsed, options);
      analyse += performance.now() - t1;
      parse += t1 - t0;
    }
    const both = performance.now() - t;
    if (round < 2) continue; // warm-up
    floorRow.push(floor);
    aloneRow.push(alone);
    parseRow.push(parse);
    analyseRow.push(analyse);
    bothRow.push(both);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const floor = median(floorRow);
  console.log(`wall ms, median of ${rounds} rounds over ${files.length} files`);
  for (const [key, values] of Object.entries(rows))
    console.log(`${median(values).toFixed(0).padStart(7)} ms  ${(median(values) / floor).toFixed(2)}× floor  ${key}`);
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
        rule.check({ file: parsed, config: {}, ...NO_VIEWS, report: () => undefined });
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
for (const [key, value] of rows)
  console.log(`${(value / rounds).toFixed(1).padStart(9)} ms  ${((value / floor) * 100).toFixed(1).padStart(6)}% of floor  ${key}`);
