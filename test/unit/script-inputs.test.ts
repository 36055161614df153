// Scripts handed to third-party actions in their inputs (knowledge/script-inputs.ts) are read like `run:`
// scripts by every rule that reads scripts, with ranges inside the input's value.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { runScripts } from '../../server/src/knowledge/shell';
import { parseAs, spanText } from '../support/analysis';
import { run, texts } from '../support/attack-path-rules';

const E = (path: string) => `\${{ ${path} }}`;

/** A workflow whose only step uses `uses` with the given `with:` lines (indented by the caller's text). */
const step = (on: string, uses: string, withLines: string) =>
  `on: ${on}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}\n        with:\n${withLines}`;

describe('script inputs of third-party actions', () => {
  test('runScripts reads the listed inputs (block, plain and quoted) with their action, place and shell', () => {
    const text = step(
      'push',
      'uraimo/run-on-arch-action@v3',
      "          arch: aarch64\n          shell: /bin/ash\n          setup: mkdir -p out\n          install: 'apk add curl'\n          run: |\n            make test\n",
    );
    const scripts = runScripts(parseAs(text));
    assert.deepEqual(
      scripts.map((s) => [s.input?.input, s.input?.place, s.shell, s.script.text]),
      [
        ['setup', 'runner', 'ash', 'mkdir -p out'],
        ['install', 'container', 'ash', 'apk add curl'],
        ['run', 'container', 'ash', 'make test\n'],
      ],
    );
    // Offsets map into the value, past the quote of a quoted scalar.
    const install = scripts[1];
    assert.equal(spanText(text, install.sourceSpan(install.script.commands[0].span)), 'apk add curl');
  });

  test('inputs the table does not list, and actions it does not know, are not scripts', () => {
    assert.deepEqual(
      runScripts(parseAs(step('push', 'appleboy/ssh-action@v1', '          host: example.com\n          script_path: deploy.sh\n'))),
      [],
    );
    assert.deepEqual(runScripts(parseAs(step('push', 'someone/else@v1', '          run: curl https://e.com/x | sh\n'))), []);
    assert.deepEqual(runScripts(parseAs(step('push', 'addnab/docker-run-action@v3', '          options: -v /tmp:/tmp\n'))), []);
  });

  test('unverified-download: curl | sh inside ssh-action `script` and vmactions `prepare`, at the curl inside the value', () => {
    const ssh = step(
      'push',
      'appleboy/ssh-action@v1.2.5',
      '          host: h\n          script: |\n            cd /srv\n            curl -fsSL https://get.example.com/install.sh | sh\n',
    );
    assert.deepEqual(texts(ssh, run('unverified-download', ssh)), ['curl']);
    assert.ok(ssh.indexOf('curl') > 0 && run('unverified-download', ssh)[0].span.start === ssh.indexOf('curl'));
    const vm = step(
      'push',
      'vmactions/freebsd-vm@v1',
      '          prepare: |\n            fetch -o - https://e.com/x | sh\n            wget -O t.sh https://e.com/t.sh\n            sh t.sh\n',
    );
    assert.deepEqual(texts(vm, run('unverified-download', vm)), ['wget']);
  });

  test('unverified-download: a verified download inside an input is not reported', () => {
    const text = step(
      'push',
      'addnab/docker-run-action@v3',
      '          image: alpine\n          run: |\n            wget -O t.tgz https://e.com/v1/t.tgz\n            echo "0000000000000000000000000000000000000000000000000000000000000000  t.tgz" | sha256sum -c -\n            tar xzf t.tgz\n',
    );
    assert.deepEqual(run('unverified-download', text), []);
  });

  test('adhoc-packages: installs in run-on-arch `install` are read', () => {
    const text = step('push', 'uraimo/run-on-arch-action@v3', '          install: |\n            npm install -g pnpm\n');
    assert.deepEqual(texts(text, run('adhoc-packages', text)), ['pnpm']);
  });

  test('template-injection: attacker text in a vmactions `run` is reported, with no env fix', () => {
    const text = step('pull_request_target', 'vmactions/openbsd-vm@v1', `          run: echo ${E('github.event.pull_request.title')}\n`);
    const found = run('template-injection', text);
    assert.deepEqual(texts(text, found), ['github.event.pull_request.title']);
    assert.match(found[0].message, /`run` of vmactions\/openbsd-vm/);
    // The step's env: does not reach a VM: no quick fix is offered.
    assert.deepEqual(found[0].fixes, []);
    const plain = step('pull_request_target', 'vmactions/openbsd-vm@v1', `          run: echo ${E('github.sha')}\n`);
    assert.deepEqual(run('template-injection', plain), []);
  });

  test('github-env: attacker text written to GITHUB_ENV from run-on-arch `setup` (runs on the runner)', () => {
    const text = step(
      'pull_request_target',
      'uraimo/run-on-arch-action@v3',
      `          setup: echo "T=${E('github.event.pull_request.title')}" >> "$GITHUB_ENV"\n`,
    );
    assert.ok(run('github-env', text).length >= 1);
    const safe = step('pull_request_target', 'uraimo/run-on-arch-action@v3', '          setup: echo "T=1" >> "$GITHUB_ENV"\n');
    assert.deepEqual(run('github-env', safe), []);
  });
  test('github-env: a script ssh-action runs on the remote host has no GITHUB_ENV of the runner to write', () => {
    const remote = step(
      'pull_request_target',
      'appleboy/ssh-action@v1.2.5',
      `          host: example.com\n          script: echo "T=${E('github.event.pull_request.title')}" >> "$GITHUB_ENV"\n`,
    );
    assert.deepEqual(run('github-env', remote), []);
  });
});
