/**
 * Untrusted text in the CLI's output: file names, workflow content and messages quoting it never reach
 * a terminal or a CI log raw (control characters, escape sequences, bidirectional controls), and no line
 * of output carrying such text can be read by the GitHub Actions runner as a workflow command.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { unifiedDiffReport } from '../../server/src/cli/diff';
import {
  escapeJsonOutput,
  escapeLineStart,
  escapeText,
  escapeTextWithColumns,
  pathAtLineStart,
  workflowCommandStart,
} from '../../server/src/cli/escape';
import { DOCS_BASE_URL } from '../../shared/src/rule-docs';
import { runCli, tempDir, writeTree } from '../support/cli';

const cli = (argv: string[], cwd: string, tty = false) => runCli(argv, { cwd, tty });

const ESC_TITLE = '\x1b]0;pwned\x07';
const ESC_CLEAR = '\x1b[2J';
const BIDI = '\u202e\u2066';

/** Characters that must never appear raw in text output (tab and the line feeds between lines are fine). */
function rawUnsafe(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const unsafe =
      (code < 0x20 && code !== 0x09 && code !== 0x0a) ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069) ||
      code === 0x2028 ||
      code === 0x2029 ||
      (code >= 0xdc00 && code <= 0xdfff) ||
      (code >= 0xd800 && code <= 0xdbff && !(i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff));
    if (unsafe) found.push(`U+${code.toString(16).padStart(4, '0')} at ${i}`);
    else if (code >= 0xd800 && code <= 0xdbff) i++;
  }
  return found;
}

/** The opening of our own hyperlinks (OSC 8 to a rule's page) and their closing: the only OSC sequences allowed. */
const OWN_LINK_START = `\x1b]8;;${DOCS_BASE_URL}/`;
const OWN_LINK_END = '\x1b]8;;\x1b\\';

/** Our colour codes and rule links are the only ESC allowed: SGR sequences `ESC [ digits m` and OSC 8 to a rule page. */
function withoutOwnColours(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith(OWN_LINK_END, i)) {
      i += OWN_LINK_END.length - 1;
      continue;
    }
    if (text.startsWith(OWN_LINK_START, i)) {
      // The rule id: lower-case letters, digits and dashes, then `.md` and the string terminator.
      let j = i + OWN_LINK_START.length;
      while (j < text.length && /[a-z0-9-]/.test(text[j])) j++;
      if (text.startsWith('.md\x1b\\', j)) {
        i = j + 4;
        continue;
      }
    }
    if (text.charCodeAt(i) === 0x1b && text[i + 1] === '[') {
      let j = i + 2;
      while (j < text.length && text[j] >= '0' && text[j] <= '9') j++;
      if (text[j] === 'm') {
        i = j;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

/** .NET's char.IsWhiteSpace, which the runner trims before looking for `::`. */
function isDotnetWhitespace(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Lines (as the runner splits them: CR, LF or CRLF) that the runner would run as workflow commands. */
function commandLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x0a;
    if (code !== 0x0a && code !== 0x0d) continue;
    lines.push(text.slice(start, i));
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    start = i + 1;
  }
  return lines.filter((line) => {
    let i = 0;
    while (i < line.length && isDotnetWhitespace(line.charCodeAt(i))) i++;
    return line.startsWith('::', i) || line.includes('##[');
  });
}

function assertSafeText(output: string, what: string): void {
  assert.deepEqual(rawUnsafe(withoutOwnColours(output)), [], `${what}: raw control or bidirectional characters`);
  assert.deepEqual(commandLines(output), [], `${what}: lines the runner reads as workflow commands`);
}

const UNPINNED = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
`;

/**
 * Raw escape sequences and bidirectional controls in a value (line 9, unpinned-uses at 9:33), then a
 * script whose lines look like workflow commands (template-injection on line 12).
 */
const HOSTILE = `on: pull_request_target
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: "actions/checkout@v4${ESC_TITLE}${ESC_CLEAR}${BIDI}\x9b\u2028\x7f"
      - run: |
          ::warning::context
          ::error title=X::${'${{ github.event.pull_request.title }}'}
          echo "##[warning]y"
`;

describe('escape module', () => {
  test('controls, DEL, C1, bidirectional controls, separators and lone surrogates are shown escaped; tabs, pairs and text are kept', () => {
    assert.equal(escapeText(`a${ESC_TITLE}b`), 'a\\x1b]0;pwned\\x07b');
    assert.equal(escapeText('x\ny\rz\tw\x00\x7f\x85\x9b'), 'x\\ny\\rz\tw\\x00\\x7f\\x85\\x9b');
    assert.equal(escapeText('\u202a\u202e\u2066\u2069\u2028\u2029'), '\\u202a\\u202e\\u2066\\u2069\\u2028\\u2029');
    assert.equal(escapeText('\ud83d\ude00 é ü 中'), '\ud83d\ude00 é ü 中');
    assert.equal(escapeText('a\ud800b\udc00'), 'a\\ud800b\\udc00');
    assert.equal(escapeText('echo "##[error]x" # ok'), 'echo "##\\x5berror]x" # ok');
    assert.equal(escapeText('plain: text, with : and # [brackets]'), 'plain: text, with : and # [brackets]');
  });

  test('the column map follows each escape', () => {
    const { text, columns } = escapeTextWithColumns(`a\x1bb\ud83d\ude00c\u202ed`);
    assert.equal(text, 'a\\x1bb\ud83d\ude00c\\u202ed');
    assert.deepEqual(columns, [0, 1, 5, 6, 7, 8, 9, 15, 16]);
    for (let i = 0; i < columns.length - 1; i++) assert.ok(columns[i] < columns[i + 1]);
  });

  test('a line start that the runner would read as a workflow command is guarded', () => {
    assert.equal(workflowCommandStart('::error::x'), 0);
    assert.equal(workflowCommandStart(' \t\u3000\u00a0::error::x'), 4);
    assert.equal(workflowCommandStart('a::error::x'), -1);
    assert.equal(escapeLineStart('   ::error::x'), '   \\x3a:error::x');
    assert.equal(escapeLineStart('a ::b'), 'a ::b');
    assert.equal(pathAtLineStart('::error title=X::y.yml'), './::error title=X::y.yml');
    assert.equal(pathAtLineStart(' ::warning::z.yml'), './ ::warning::z.yml');
    assert.equal(pathAtLineStart('.github/workflows/ci.yml'), '.github/workflows/ci.yml');
    assert.equal(pathAtLineStart('a\n::error::b.yml'), 'a\\n::error::b.yml');
  });

  test('JSON keeps its value and loses the raw characters', () => {
    const value = { message: `v4${ESC_TITLE}${ESC_CLEAR}${BIDI}\x9b\u2028\x7f ##[error]x \ud800`, list: ['[', '##', 'ok'] };
    const json = escapeJsonOutput(JSON.stringify(value, null, 2));
    assert.deepEqual(JSON.parse(json), value);
    assert.deepEqual(rawUnsafe(json), []);
    assert.ok(!json.includes('##['));
    assert.match(json, /\\u001b\]0;pwned\\u0007\\u001b\[2J\\u202e\\u2066\\u009b\\u2028\\u007f ##\\u005berror\]x \\ud800/);
  });
});

describe('file names that carry workflow commands', () => {
  const NEWLINE_NAME = 'a\n::error title=X::y.yml';

  test('a workflow named with a newline and `::error title=X::`: no output line starts a workflow command', async () => {
    const root = tempDir('warden-escape-');
    writeTree(root, { [NEWLINE_NAME]: UNPINNED });
    for (const argv of [[NEWLINE_NAME], ['--color', NEWLINE_NAME], ['--no-color', '--persona', 'auditor', NEWLINE_NAME]]) {
      for (const tty of [false, true]) {
        const result = await cli(argv, root, tty);
        assert.equal(result.code, 1);
        assertSafeText(result.stdout, `${argv.join(' ')} (tty: ${tty})`);
        assertSafeText(result.stderr, `${argv.join(' ')} (tty: ${tty}) stderr`);
        assert.match(result.stdout, /^(\x1b\[1m)?a\\n::error title=X::y\.yml:9:32:/m, 'the path stays findable, with its position');
      }
    }
    // The GitHub format's own commands are the only ones, with the name percent-encoded in `file=`.
    const github = await cli(['--format', 'github', NEWLINE_NAME], root);
    const commands = commandLines(github.stdout);
    assert.ok(commands.length > 0);
    for (const line of commands) assert.match(line, /^::(error|warning|notice) file=a%0A%3A%3Aerror title=X%3A%3Ay\.yml,line=\d+,/);
    assert.deepEqual(rawUnsafe(github.stdout), []);
  });

  test('a missing path with a newline and an escape sequence is reported escaped on stderr', async () => {
    const root = tempDir('warden-escape-');
    const result = await cli(['b\n::error::gone.yml', `c${ESC_CLEAR}.yml`], root);
    assert.equal(result.code, 2);
    assertSafeText(result.stderr, 'stderr');
    assert.match(result.stderr, /^actions-warden: error: b\\n::error::gone\.yml: no such file or folder$/m);
    assert.match(result.stderr, /^actions-warden: error: c\\x1b\[2J\.yml: no such file or folder$/m);
    const config = await cli(['--config', `x\n::error::${ESC_TITLE}.yml`], root);
    assert.equal(config.code, 2);
    assertSafeText(config.stderr, '--config stderr');
    const usage = await cli([`--bogus\n::error::${ESC_CLEAR}`], root);
    assert.equal(usage.code, 2);
    assertSafeText(usage.stderr, 'usage error');
  });

  test('a name that is itself a workflow command is shown as ./name; `##[` is broken', async () => {
    const root = tempDir('warden-escape-');
    const names = ['::error title=X::y.yml', ' ::warning::z.yml', '\u3000::notice::n.yml', '##[error]w.yml'];
    writeTree(root, Object.fromEntries(names.map((name) => [name, UNPINNED])));
    const result = await cli(['--no-color', ...names], root, true);
    assertSafeText(result.stdout, 'text');
    assert.match(result.stdout, /^\.\/::error title=X::y\.yml:9:32: high unpinned-uses/m);
    assert.match(result.stdout, /^\.\/ ::warning::z\.yml:9:32: /m);
    assert.match(result.stdout, /^\.\/\u3000::notice::n\.yml:9:32: /m);
    assert.match(result.stdout, /^##\\x5berror\]w\.yml:9:32: /m);
    // Found by walking a folder too (paths relative to the working folder).
    const walked = tempDir('warden-escape-');
    writeTree(walked, { '.github/workflows/::error::x.yml': UNPINNED });
    const inside = await cli(['.'], join(walked, '.github/workflows'));
    assertSafeText(inside.stdout, 'walked');
    assert.match(inside.stdout, /^\.\/::error::x\.yml:9:32: /m);
  });
});

describe('workflow content with escape sequences and bidirectional controls', () => {
  const setup = () => {
    const root = tempDir('warden-escape-');
    writeTree(root, { '.github/workflows/ci.yml': HOSTILE });
    return root;
  };

  test('text: messages and code frames show the characters escaped, carets stay under the range', async () => {
    const root = setup();
    for (const argv of [['--no-color'], ['--color'], ['--color', '--no-code-frame'], []]) {
      const result = await cli(argv, root, true);
      assert.equal(result.code, 1);
      assertSafeText(result.stdout, argv.join(' '));
      assertSafeText(result.stderr, `${argv.join(' ')} stderr`);
    }
    const { stdout } = await cli(['--no-color'], root, true);
    const lines = stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('.github/workflows/ci.yml:9:33: high unpinned-uses'));
    assert.ok(at >= 0, stdout);
    assert.ok(lines[at].includes('`v4\\x1b]0;pwned\\x07\\x1b[2J\\u202e\\u2066\\x9b\\u2028\\x7f`'), lines[at]);
    const frame = lines[at + 1];
    const carets = lines[at + 2];
    assert.equal(frame, '9 |       - uses: "actions/checkout@v4\\x1b]0;pwned\\x07\\x1b[2J\\u202e\\u2066\\x9b\\u2028\\x7f"');
    // The range covers the ref, from `v4` to the closing quote (exclusive), in its escaped form.
    assert.equal(carets.indexOf('^'), frame.indexOf('v4\\x1b'));
    assert.equal(carets.lastIndexOf('^') + 1, frame.lastIndexOf('"'));
    // A script line starting with `::` is shown behind the gutter; its `##[` is broken.
    const injection = lines.findIndex((line) => line.startsWith('.github/workflows/ci.yml:12:') && line.includes('template-injection'));
    assert.ok(injection >= 0, stdout);
    assert.equal(lines[injection + 1], '12 |           ::error title=X::${{ github.event.pull_request.title }}');
    assert.equal(lines[injection + 2].indexOf('^'), lines[injection + 1].indexOf('github.event'));
  });

  test('a long line is cut without losing the caret alignment after escapes', async () => {
    const root = tempDir('warden-escape-');
    const ref = 'v4' + '\x1b'.repeat(150);
    writeTree(root, { '.github/workflows/ci.yml': UNPINNED.replace('actions/checkout@v4', `"actions/checkout@${ref}"`) });
    const { stdout } = await cli(['--no-color', '--min-severity', 'high'], root, true);
    assertSafeText(stdout, 'long line');
    const lines = stdout.split('\n');
    const at = lines.findIndex((line) => line.includes('unpinned-uses'));
    assert.match(lines[at], /^\.github\/workflows\/ci\.yml:9:33: /);
    assert.equal(lines[at + 2].indexOf('^'), lines[at + 1].indexOf('v4\\x1b'));
  });

  test('github: messages are percent-encoded and the rest escaped', async () => {
    const { stdout } = await cli(['--format', 'github'], setup());
    assert.deepEqual(rawUnsafe(stdout), []);
    for (const line of commandLines(stdout)) assert.match(line, /^::(error|warning|notice) file=\.github\/workflows\/ci\.yml,/);
    assert.match(stdout, /pinned to `v4\\x1b\]0;pwned\\x07\\x1b\[2J\\u202e\\u2066\\x9b\\u2028\\x7f`/);
  });

  test('json and sarif: the characters come out as JSON escapes and parse back to the same text', async () => {
    const root = setup();
    const ref = `v4${ESC_TITLE}${ESC_CLEAR}${BIDI}\x9b\u2028\x7f`;
    const json = await cli(['--format', 'json'], root);
    assert.deepEqual(rawUnsafe(json.stdout), []);
    assert.deepEqual(commandLines(json.stdout), []);
    assert.ok(json.stdout.includes('v4\\u001b]0;pwned\\u0007\\u001b[2J\\u202e\\u2066\\u009b\\u2028\\u007f'), 'escaped in the JSON text');
    const report = JSON.parse(json.stdout);
    assert.ok(
      report.findings.some((finding: { message: string }) => finding.message.includes(`\`${ref}\``)),
      'and the same text once parsed',
    );
    const sarif = await cli(['--format', 'sarif'], root);
    assert.deepEqual(rawUnsafe(sarif.stdout), []);
    assert.deepEqual(commandLines(sarif.stdout), []);
    const log = JSON.parse(sarif.stdout);
    assert.ok(log.runs[0].results.some((result: { message: { text: string } }) => result.message.text.includes(`\`${ref}\``)));
  });

  test('--fix --dry-run: the diff shows the characters escaped, context lines never start a command, stderr says so', async () => {
    const root = setup();
    const result = await cli(['--fix=all', '--dry-run'], root);
    assert.equal(result.code, 1);
    assertSafeText(result.stdout, 'diff');
    assertSafeText(result.stderr, 'diff stderr');
    assert.match(result.stdout, /^       - uses: "actions\/checkout@v4\\x1b\]0;pwned\\x07\\x1b\[2J\\u202e\\u2066\\x9b\\u2028\\x7f"$/m);
    assert.match(result.stdout, /^\+        with:$/m, 'the fix itself is shown as is');
    assert.match(result.stdout, /^ {11}\\x3a:warning::context$/m, 'a context line');
    assert.match(result.stdout, /^- {10}::error title=X::\$\{\{ github\.event\.pull_request\.title \}\}$/m, 'a removed line starts with -');
    assert.match(result.stdout, /^ {11}echo "##\\x5bwarning\]y"$/m);
    assert.match(result.stderr, /note: the diff of \.github\/workflows\/ci\.yml shows control or bidirectional characters escaped/);
  });

  test('unified diff: names and lines escaped, a final CR kept, `escaped` says when it no longer applies', () => {
    const plain = unifiedDiffReport('a\r\nb\r\n', 'a\r\nc\r\n', 'a/x', 'b/x');
    assert.equal(plain.text, '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n');
    assert.equal(plain.escaped, false);
    const hostile = unifiedDiffReport(`  ::error::a\nb\x1b[2J\rc\n`, `  ::error::a\nd\n`, 'a/n\n::error::m', 'b/n\n::error::m');
    assert.equal(hostile.escaped, true);
    assert.equal(hostile.text, '--- a/n\\n::error::m\n+++ b/n\\n::error::m\n@@ -1,2 +1,2 @@\n   \\x3a:error::a\n-b\\x1b[2J\\rc\n+d\n');
    assertSafeText(hostile.text, 'diff');
  });
});
