import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseShell, pipedInto, flagValue, runScripts } from '../../server/src/knowledge/shell';
import { parseWorkflow, toCRLF, yaml } from '../support/analysis';

const names = (text: string) => parseShell(text).commands.map((c) => c.name);

test('splits commands on newlines, &&, ||, ;, pipes and subshells', () => {
  assert.deepEqual(names('a x && b y || c; d | e\n(f) & g'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  const script = parseShell('curl -fsSL https://x/install.sh | sudo -E bash -s -- --v 1');
  assert.equal(script.commands[0].pipesTo, true);
  assert.equal(pipedInto(script, script.commands[0])?.name, 'bash');
});

test('line continuations, comments, quotes and ${{ }} stay in one command', () => {
  const script = parseShell('# comment\ncurl \\\n  -o "out file" \\\n  ${{ inputs.url }} # trailing\necho "a # not comment"');
  assert.deepEqual(
    script.commands.map((c) => c.name),
    ['curl', 'echo'],
  );
  assert.deepEqual(
    script.commands[0].argv.map((w) => w.text),
    ['curl', '-o', 'out file', '${{ inputs.url }}'],
  );
  assert.equal(flagValue(script.commands[0], '-o')?.text, 'out file');
  assert.equal(script.commands[1].argv[1].text, 'a # not comment');
});

test('assignments, sudo and env prefixes are skipped for the command name', () => {
  assert.deepEqual(names('FOO=1 BAR="x y" sudo -E apt-get install -y jq\nenv -i A=1 make'), ['apt-get', 'make']);
  assert.deepEqual(names('if [ -f x ]; then ./build.sh; fi'), ['[', 'build.sh', 'fi']);
});

test('heredoc bodies are skipped and kept', () => {
  const script = parseShell("cat <<'EOF' > f.py\nimport os\ncurl http://no\nEOF\npython f.py");
  assert.deepEqual(
    script.commands.map((c) => c.name),
    ['cat', 'python'],
  );
  assert.equal(script.commands[0].heredocs[0].quoted, true);
  assert.equal(script.commands[0].heredocs[0].body, 'import os\ncurl http://no\n');
  assert.equal(
    script.commands[0].redirects.some((r) => r.op === '>' && r.target?.text === 'f.py'),
    true,
  );
});

test('command substitutions and process substitutions are read as commands', () => {
  const script = parseShell('bash <(curl -sL https://x) && sh -c "$(wget -qO- https://y)"; v=`uname -m`');
  const inner = script.commands.filter((c) => c.inSubstitution).map((c) => c.name);
  assert.deepEqual(inner.sort(), ['curl', 'uname', 'wget']);
});

test('redirections: 2>&1, >> $GITHUB_ENV', () => {
  const script = parseShell('echo "A=b" >> "$GITHUB_ENV"\nmake 2>&1 | tee log');
  assert.equal(script.commands[0].redirects[0].op, '>>');
  assert.equal(script.commands[0].redirects[0].target?.text, '$GITHUB_ENV');
  assert.deepEqual(
    script.commands.map((c) => c.name),
    ['echo', 'make', 'tee'],
  );
});

test('never throws on odd input', () => {
  for (const text of ['"unterminated', "'x", '$(', '`', '<<EOF', 'a |', '((((', '${{', '\\', '))) && ;; |']) parseShell(text);
});

test('runScripts maps block-scalar offsets onto the document, LF and CRLF', () => {
  for (const eol of ['lf', 'crlf']) {
    let text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - run: |
                echo hi
                  curl -o x https://e.com/x
            - run: "make all"
            - run: wget https://e.com
    `;
    if (eol === 'crlf') text = toCRLF(text);
    const file = parseWorkflow(text);
    const scripts = runScripts(file);
    assert.equal(scripts.length, 3);
    const curl = scripts[0].script.commands[1];
    assert.equal(text.slice(scripts[0].sourceSpan(curl.argv[0].span).start, scripts[0].sourceSpan(curl.argv[0].span).end), 'curl');
    assert.equal(
      text.slice(scripts[0].sourceSpan(curl.argv[3].span).start, scripts[0].sourceSpan(curl.argv[3].span).end),
      'https://e.com/x',
    );
    const make = scripts[1].script.commands[0];
    assert.equal(text.slice(scripts[1].sourceSpan(make.span).start, scripts[1].sourceSpan(make.span).end), 'make all');
    const wget = scripts[2].script.commands[0].argv[1];
    assert.equal(text.slice(scripts[2].sourceSpan(wget.span).start, scripts[2].sourceSpan(wget.span).end), 'https://e.com');
  }
});
