/**
 * `github-env`: a step that writes computed text to `GITHUB_ENV` or `GITHUB_PATH` in a workflow that
 * outsiders can trigger with privileges, or in a composite action. Whatever the text says becomes the
 * environment (or the `PATH`) of every later step: `LD_PRELOAD`, `NODE_OPTIONS`, `BASH_ENV`, a
 * directory of the checked-out pull request in front of `PATH`, ... The rule reads `run:` scripts with
 * the shared shell reader (bash, sh, pwsh and cmd spellings) and `core.exportVariable` / `core.addPath`
 * in `actions/github-script`.
 */
import { allSteps } from '../knowledge/job-facts';
import { RUNNER_ENV } from '../knowledge/contexts';
import {
  args,
  runScripts,
  scalarOffsetMapper,
  type RunScript,
  type ShellCommand,
  type ShellScript,
  type ShellWord,
} from '../knowledge/shell';
import { assessPath, scopeTriggers, type Scope, type Verdict } from '../knowledge/taint';
import type { ParsedFile } from '../parse/document';
import { findExpressions, contextPath, valueLeaves } from '../parse/expressions';
import type { Span } from '../parse/text';
import { parseUses } from '../parse/uses';
import type { JobView, MapView, StepView } from '../parse/views';
import { scalarText } from '../parse/yaml-nodes';
import type { Rule } from './types';
import type { Confidence, Severity } from '../findings';
import { nextPiece, validatedNames } from './support/shell-text';
import { closingParen, numericFacts, numericSubstitution, type NumericFacts } from './support/numeric-output';

/** Triggers that outsiders fire and that run with the base repository's secrets and a writable token. */
const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run', 'issue_comment', 'issues', 'discussion', 'discussion_comment'];

const TARGET =
  /^(?:\$\{?GITHUB_(ENV|PATH)\}?|\$env:GITHUB_(ENV|PATH)|\$\{env:GITHUB_(ENV|PATH)\}|%GITHUB_(ENV|PATH)%|\$\{\{\s*(?:github\.(env|path)|env\.GITHUB_(ENV|PATH))\s*\}\})$/i;

const MENTIONS_TARGET = /github_(?:env|path)|github\.(?:env|path)/i;

function targetOf(word: ShellWord | null | undefined): 'GITHUB_ENV' | 'GITHUB_PATH' | null {
  if (!word) return null;
  const found = TARGET.exec(word.text.trim());
  if (!found) return null;
  const which = found.slice(1).find((group) => group !== undefined) ?? 'env';
  return which.toLowerCase() === 'path' ? 'GITHUB_PATH' : 'GITHUB_ENV';
}

/** Commands that print their arguments. */
const PRINTERS = new Set(['echo', 'printf', 'write-output', 'write-host', 'echo.', 'write', 'print']);
/** Commands that write their input (or `-Value`) to the file named by an argument. */
const FILE_WRITERS = new Set(['tee', 'tee-object', 'out-file', 'add-content', 'set-content', 'ac', 'sc']);
/** Command substitutions whose output nobody else chooses. */
const SAFE_SUBSTITUTIONS =
  /^(date|pwd|nproc|uname|whoami|id|mktemp|dirname|basename|realpath|cygpath|getconf|echo\s+\$HOME)\b|^git\s+rev-parse(?![^)]*(abbrev-ref|symbolic))/;
/** Variables the runner sets to values nobody else chooses (besides the `GITHUB_*` ones in RUNNER_ENV). */
const FIXED_VARIABLES = new Set(
  [
    'HOME',
    'PWD',
    'PATH',
    'USER',
    'TMPDIR',
    'TEMP',
    'TMP',
    'USERPROFILE',
    'LOCALAPPDATA',
    'APPDATA',
    'PROGRAMFILES',
    'SYSTEMROOT',
    'RUNNER_TEMP',
    'RUNNER_TOOL_CACHE',
    'RUNNER_OS',
    'RUNNER_ARCH',
    'RUNNER_NAME',
    'RUNNER_WORKSPACE',
    'RUNNER_ENVIRONMENT',
    'GITHUB_ENV',
    'GITHUB_PATH',
    'GITHUB_OUTPUT',
    'GITHUB_STATE',
    'GITHUB_STEP_SUMMARY',
    'GITHUB_ACTION_PATH',
    'GITHUB_REF_PROTECTED',
    'GITHUB_RETENTION_DAYS',
    'ImageOS',
    'ImageVersion',
    'JAVA_HOME',
    'ANDROID_HOME',
    'ANDROID_SDK_ROOT',
    'CONDA',
    'VCPKG_INSTALLATION_ROOT',
    'pythonLocation',
    'Python_ROOT_DIR',
  ].map((name) => name.toUpperCase()),
);

type Taint = { kind: 'literal' } | { kind: 'tainted'; reason: string } | { kind: 'dynamic'; what: string };

interface Context {
  /** The whole script, to see whether a variable is validated (`[[ $V =~ ^...$ ]]`) before it is written. */
  scriptText: string;
  /** The variable verdicts found so far in this script (a script may name one variable many times). */
  variables: Map<string, Taint>;
  file: ParsedFile;
  scope: Scope;
  step: StepView;
  job: JobView | null;
  /** For shell scripts: the files and variables the script fills only with numbers. */
  numeric: NumericFacts | null;
}

function envLevels(context: Context): MapView[] {
  const levels: MapView[] = [context.step.env];
  if (context.job) levels.push(context.job.env);
  if (context.file.workflow) levels.push(context.file.workflow.env);
  return levels;
}

/** The verdict of every value leaf of the expressions in `text`: literal when none carries anything. */
function expressionTaint(text: string, scope: Scope): Taint {
  let verdict: Verdict | null = null;
  let any = false;
  for (const occurrence of findExpressions(text)) {
    const ast = occurrence.parsed.ast;
    if (!ast) {
      any = true;
      continue;
    }
    for (const leaf of valueLeaves(ast)) {
      if (leaf.type === 'literal') continue;
      const path = contextPath(leaf, { computedIndexAsWildcard: true });
      if (!path) {
        any = true;
        continue;
      }
      if (/^secrets\./.test(path)) {
        any = true;
        continue;
      }
      const found = assessPath(path, scope);
      if (!found) continue;
      any = true;
      // A composite action's inputs are its callers' choice: computed, not known to be an outsider's.
      const callerChosen = scope.file.action !== null && path.startsWith('inputs.');
      if (!callerChosen && found.capability === 'arbitrary' && found.severity === 'high' && (!verdict || verdict.severity !== 'high'))
        verdict = { ...found, reason: `\`${path}\`: ${found.reason}` };
    }
  }
  if (verdict) return { kind: 'tainted', reason: verdict.reason };
  return any ? { kind: 'dynamic', what: text.trim() } : { kind: 'literal' };
}

/** Classifies a variable reference by what the runner or the file's `env:` maps put in it. */
function variableTaint(name: string, context: Context): Taint {
  let taint = context.variables.get(name);
  if (!taint) {
    taint = readVariableTaint(name, context);
    context.variables.set(name, taint);
  }
  return taint;
}

function readVariableTaint(name: string, context: Context): Taint {
  const upper = name.toUpperCase();
  const runnerContext = Object.entries(RUNNER_ENV).find(([, variable]) => variable === upper)?.[0];
  if (runnerContext) {
    const verdict = assessPath(runnerContext, context.scope);
    if (!verdict) return { kind: 'literal' };
    if (verdict.capability === 'arbitrary' && verdict.severity === 'high')
      return { kind: 'tainted', reason: `\`$${upper}\` (\`${runnerContext}\`): ${verdict.reason}` };
    return { kind: 'dynamic', what: `$${name}` };
  }
  if (FIXED_VARIABLES.has(upper)) return { kind: 'literal' };
  if (validated(name, context.scriptText)) return { kind: 'literal' };
  for (const level of envLevels(context)) {
    const entry = level.entries.find((candidate) => candidate.key === name);
    if (!entry) continue;
    const text = scalarText(entry.value);
    if (text === null) return { kind: 'dynamic', what: `$${name}` };
    const taint = expressionTaint(text, context.scope);
    return taint.kind === 'tainted'
      ? { kind: 'tainted', reason: `\`$${name}\`, set from ${taint.reason}` }
      : taint.kind === 'dynamic'
        ? { kind: 'dynamic', what: `$${name}` }
        : taint;
  }
  // Assigned only numbers in this script (`N=$(gh pr view --json number --jq .number)`): no text to inject.
  if (context.numeric?.variables.has(name)) return { kind: 'literal' };
  return { kind: 'dynamic', what: `$${name}` };
}

/** True when the script matches the variable against an anchored pattern (`[[ "$V" =~ ^[0-9.]+$ ]]`, `-match '^…$'`). */
function validated(name: string, script: string): boolean {
  return validatedNames(script).has(name);
}

function combine(a: Taint, b: Taint): Taint {
  if (a.kind === 'tainted') return a;
  if (b.kind === 'tainted') return b;
  if (a.kind === 'dynamic') return a;
  return b;
}

/** Classifies one piece of written text (a word as written, a heredoc body). */
function textTaint(raw: string, context: Context, singleQuotesAreLiteral: boolean): Taint {
  const { text, rawAt } = singleQuotesAreLiteral ? emptySingleQuotes(raw) : { text: raw, rawAt: null };
  let result: Taint = { kind: 'literal' };
  const lastFence = text.lastIndexOf('}}');
  const lastBrace = text.lastIndexOf('}');
  const lastParen = text.lastIndexOf(')');
  let from = 0;
  // Set once a `$(` has no balanced `)`: later ones take the next `)`, so the scans stay linear.
  let unbalanced = false;
  for (let match = nextPiece(text, 0, lastFence, lastBrace); match; match = nextPiece(text, from, lastFence, lastBrace)) {
    const piece = match.text;
    from = match.index + piece.length;
    let taint: Taint;
    if (piece.startsWith('${{')) taint = expressionTaint(piece, context.scope);
    else if (piece === '$(' || piece === '$((' || piece === '`') {
      const start = match.index + piece.length;
      const balanced = piece !== '`' && !unbalanced && start <= lastParen ? closingParen(text, match.index + 2) : -1;
      if (piece === '$((') {
        // Arithmetic expansion: a number whatever the variables inside hold.
        if (balanced !== -1) from = balanced;
        else unbalanced = true;
        continue;
      }
      if (piece === '$(' && balanced === -1) unbalanced = true;
      // (No `)` after this `$(`: none after any later one, so the search is not repeated.)
      const close =
        piece === '`' ? text.indexOf('`', start) : balanced !== -1 ? balanced - 1 : start <= lastParen ? text.indexOf(')', start) : -1;
      const inner = close === -1 ? '' : text.slice(start, close);
      taint =
        (SAFE_SUBSTITUTIONS.test(inner.trim()) && !inner.includes('$')) ||
        (close !== -1 &&
          context.numeric !== null &&
          numericSubstitution(rawAt ? raw.slice(rawAt[start], rawAt[close]) : inner, context.numeric.files))
          ? { kind: 'literal' }
          : { kind: 'dynamic', what: `${piece}${inner}${piece === '`' ? '`' : ')'}` };
      if (piece === '`') from = match.index + 1 + inner.length + 1;
      else from = match.index + piece.length + inner.length;
    } else {
      taint = match.name ? variableTaint(match.name, context) : { kind: 'dynamic', what: piece };
    }
    result = combine(result, taint);
    if (result.kind === 'tainted') return result;
  }
  return result;
}

/**
 * `raw` with the text of every single-quoted part removed (`'$X'` → `''`: a literal), and for each index of the
 * result the index of `raw` it came from (a `$( … )` inside is read again from `raw`, quotes and all).
 */
function emptySingleQuotes(raw: string): { text: string; rawAt: number[] } {
  let text = '';
  const rawAt: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const close = raw[i] === "'" ? raw.indexOf("'", i + 1) : -1;
    rawAt.push(i);
    if (close === -1) {
      text += raw[i];
      continue;
    }
    rawAt.push(close);
    text += "''";
    i = close;
  }
  rawAt.push(raw.length);
  return { text, rawAt };
}

/** What a command prints: its arguments (printers, a bare PowerShell string) or a heredoc body. */
function printedTaint(command: ShellCommand, context: Context): Taint {
  if (command.heredocs.length > 0 && (command.name === 'cat' || PRINTERS.has(command.name))) {
    let result: Taint = { kind: 'literal' };
    for (const heredoc of command.heredocs)
      result = combine(result, heredoc.quoted ? expressionTaint(heredoc.body, context.scope) : textTaint(heredoc.body, context, false));
    return result;
  }
  const first = command.argv[0];
  const bareString = first && first.quoted && command.argv.length === 1;
  if (!PRINTERS.has(command.name) && !bareString)
    return { kind: 'dynamic', what: command.name ? `the output of \`${command.name}\`` : "a command's output" };
  let result: Taint = { kind: 'literal' };
  for (const word of bareString ? command.argv : args(command)) result = combine(result, textTaint(word.raw, context, true));
  return result;
}

interface Write {
  target: 'GITHUB_ENV' | 'GITHUB_PATH';
  span: Span;
  taint: Taint;
}

function writesOf(script: ShellScript, context: Context): { target: 'GITHUB_ENV' | 'GITHUB_PATH'; word: ShellWord; taint: Taint }[] {
  const found: { target: 'GITHUB_ENV' | 'GITHUB_PATH'; word: ShellWord; taint: Taint }[] = [];
  const commands = script.commands;
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index];
    for (const redirect of command.redirects) {
      if (!redirect.op.includes('>')) continue;
      const target = targetOf(redirect.target);
      if (!target || !redirect.target) continue;
      const compound = ['}', 'done', 'fi', 'esac', ')'].includes(command.name);
      found.push({
        target,
        word: redirect.target,
        taint: compound ? { kind: 'dynamic', what: "a block's output" } : printedTaint(command, context),
      });
    }
    if (!FILE_WRITERS.has(command.name)) continue;
    const words = args(command);
    const targetWord =
      words.find((word) => targetOf(word) !== null) ??
      words.map((word) => ({ word, text: word.text.replace(/^-[A-Za-z]+:/, '') })).find((w) => targetOf({ ...w.word, text: w.text }))?.word;
    if (!targetWord) continue;
    const target = targetOf(targetWord) ?? targetOf({ ...targetWord, text: targetWord.text.replace(/^-[A-Za-z]+:/, '') })!;
    let taint: Taint;
    if (command.name === 'add-content' || command.name === 'set-content' || command.name === 'ac' || command.name === 'sc') {
      taint = { kind: 'literal' };
      for (const word of words) {
        if (word === targetWord || /^-/.test(word.text)) continue;
        taint = combine(taint, textTaint(word.raw, context, true));
      }
    } else {
      // tee, Tee-Object, Out-File: the command piped into this one.
      let upstream: ShellCommand | null = null;
      for (let i = index - 1; i >= 0; i--) {
        const candidate = commands[i];
        if (candidate.inSubstitution !== command.inSubstitution) continue;
        // (Pipeline numbers also count `$( )` bodies, so the connector is what tells.)
        if (candidate.pipesTo && command.connector === '|') upstream = candidate;
        break;
      }
      taint = upstream ? printedTaint(upstream, context) : { kind: 'dynamic', what: `the input of \`${command.name}\`` };
    }
    found.push({ target, word: targetWord, taint });
  }
  return found;
}

const NON_SHELLS = /^(python|node|perl|ruby|deno|bun)\b/i;

function describe(taint: Taint): string {
  if (taint.kind === 'tainted') return `text an outsider chooses (${taint.reason})`;
  if (taint.kind === 'dynamic') return `computed text (\`${taint.what.length > 60 ? `${taint.what.slice(0, 60)}…` : taint.what}\`)`;
  return 'literal text';
}

export const githubEnv: Rule = {
  id: 'github-env',
  title: 'Computed text written to GITHUB_ENV or GITHUB_PATH in a privileged context',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'low',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A `run:` step (bash, sh, pwsh or cmd) or `actions/github-script` writes computed text to `GITHUB_ENV` or `GITHUB_PATH` in a workflow that outsiders can trigger with privileges (`pull_request_target`, `workflow_run`, `issue_comment`, `issues`, `discussion*`) or in a composite action.',
    why: "Every line of `GITHUB_ENV` becomes an environment variable of the later steps, and every line of `GITHUB_PATH` a directory searched first for commands. If an attacker chooses part of that text (a branch name with a newline, an artifact or file from a pull request), they set `LD_PRELOAD`, `NODE_OPTIONS` or `BASH_ENV`, or put their directory in front of `PATH`, and run code with the job's secrets. GitHub disabled `::set-env::` in 2020 (CVE-2020-15228) for this reason; the environment files inherited the risk.",
    fix: 'Keep untrusted values out of the environment files: use step outputs (`GITHUB_OUTPUT`) and pass them to later steps through `env:`, validate the value first (`[[ "$V" =~ ^[0-9.]+$ ]]`), or write only literals. When a multi-line value must go to `GITHUB_ENV`, use the `NAME<<DELIMITER` form with a random delimiter.',
  },
  check({ file, report }) {
    let severity: Severity;
    let context: string;
    if (file.workflow) {
      const triggers = scopeTriggers(file) ?? [];
      const privileged = triggers.filter((trigger) => PRIVILEGED_TRIGGERS.includes(trigger));
      if (privileged.length === 0) return;
      severity = 'high';
      context = `a workflow triggered by ${privileged.map((t) => `\`${t}\``).join(', ')}`;
    } else if (file.action?.isComposite) {
      severity = 'medium';
      context = 'a composite action (its callers may run it on untrusted input)';
    } else return;

    const emit = (write: Write, how: string) => {
      if (write.taint.kind === 'literal') return;
      const tainted = write.taint.kind === 'tainted';
      const confidence: Confidence = tainted ? 'high' : 'low';
      // In a composite action, computed text that does not come from the inputs is the action's own business.
      const quiet = !file.workflow && !tainted && !(write.taint.kind === 'dynamic' && /inputs\./.test(write.taint.what));
      report({
        span: write.span,
        message: `${how} writes ${describe(write.taint)} to \`${write.target}\` in ${context}: ${write.target === 'GITHUB_PATH' ? 'later steps look for commands in that directory first' : 'later steps run with whatever variables that text sets (`LD_PRELOAD`, `NODE_OPTIONS`, `BASH_ENV`)'}`,
        severity: tainted ? 'high' : quiet ? 'low' : severity,
        confidence,
        persona: quiet ? 'pedantic' : 'regular',
      });
    };

    for (const script of runScripts(file)) {
      // Every target TARGET accepts names GITHUB_ENV/GITHUB_PATH or github.env/github.path: skip other scripts early.
      if (!MENTIONS_TARGET.test(script.script.text) || NON_SHELLS.test(script.shell.trim())) continue;
      // A script an action runs on a remote host (ssh-action) has no runner environment file to write to.
      if (script.input?.place === 'remote') continue;
      const ctx = contextFor(file, script.step, script.job, script.script.text, numericFacts(script.script));
      for (const write of writesOf(script.script, ctx))
        emit({ target: write.target, span: spanOf(script, write.word), taint: write.taint }, 'This step');
    }

    // actions/github-script: core.exportVariable / core.addPath.
    for (const { step, job } of allSteps(file)) {
      const uses = scalarText(step.uses?.value ?? null);
      if (!uses) continue;
      const reference = parseUses(uses);
      if (reference.kind !== 'remote' || reference.repository.toLowerCase() !== 'actions/github-script') continue;
      const entry = step.with.get('script');
      const script = scalarText(entry?.value ?? null);
      if (!entry || script === null) continue;
      const map = scalarOffsetMapper(entry.value, file.text);
      const ctx = contextFor(file, step, job, script, null);
      const call = /core\.(exportVariable|addPath)\s*\(/g;
      for (let match = call.exec(script); match; match = call.exec(script)) {
        const argsText = argumentText(script, match.index + match[0].length);
        const taint = /^\s*(?:'[^'$\\]*'|"[^"$\\]*")\s*(?:,\s*(?:'[^'$\\]*'|"[^"$\\]*")\s*)?$/.test(argsText)
          ? { kind: 'literal' as const }
          : jsTaint(argsText, ctx);
        const start = map(match.index);
        emit(
          {
            target: match[1] === 'addPath' ? 'GITHUB_PATH' : 'GITHUB_ENV',
            span: { start, end: Math.max(start, map(match.index + match[0].length - 1)) },
            taint,
          },
          `\`core.${match[1]}\``,
        );
      }
    }
  },
};

function argumentText(script: string, from: number): string {
  let depth = 1;
  for (let i = from; i < script.length && i < from + 2000; i++) {
    if (script[i] === '(') depth++;
    else if (script[i] === ')' && --depth === 0) return script.slice(from, i);
  }
  return script.slice(from, from + 200);
}

function jsTaint(text: string, context: Context): Taint {
  const expressions = expressionTaint(text, context.scope);
  if (expressions.kind === 'tainted') return expressions;
  return { kind: 'dynamic', what: text.trim() };
}

function contextFor(file: ParsedFile, step: StepView, job: JobView | null, scriptText: string, numeric: NumericFacts | null): Context {
  return { scriptText, variables: new Map(), file, step, job, numeric, scope: { file, job, step, triggers: scopeTriggers(file) } };
}

function spanOf(script: RunScript, word: ShellWord): Span {
  return script.sourceSpan(word.span);
}
