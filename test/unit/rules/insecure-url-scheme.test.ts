import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { applyFix, spanText } from '../../support/analysis';
import { run } from '../../support/attack-path-rules';

const RULE = 'insecure-url-scheme';

/** One job whose only step runs `script` (a line of a block scalar). */
const job = (script: string) => `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          ${script}\n`;

const urls = (text: string) => run(RULE, text).map((finding) => spanText(text, finding.span));

describe('insecure-url-scheme: code and packages over plain text', () => {
  test('git clone over git:// and http://, with the fix to https:// for github.com', () => {
    const text = job('git clone git://github.com/owner/tool.git');
    const found = run(RULE, text);
    assert.deepEqual(urls(text), ['git://github.com/owner/tool.git']);
    assert.match(found[0].message, /a git repository fetched over plain `git:\/\/`.*`github\.com` serves it over https:\/\//);
    assert.equal(found[0].severity, 'high');
    const fixed = applyFix(text, found[0].fixes[0]);
    assert.equal(fixed, job('git clone https://github.com/owner/tool.git'));
    assert.deepEqual(run(RULE, fixed), []);
    assert.deepEqual(urls(job('git -C dir fetch http://gitlab.com/o/r.git main')), ['http://gitlab.com/o/r.git']);
  });

  test('package installs and package indexes', () => {
    assert.deepEqual(urls(job('pip install http://files.example.org/pkg-1.0.tar.gz')), ['http://files.example.org/pkg-1.0.tar.gz']);
    assert.deepEqual(urls(job('pip install --index-url http://mirror.example.org/simple pkg==1.0')), ['http://mirror.example.org/simple']);
    assert.deepEqual(urls(job('uv pip install --extra-index-url=http://mirror.example.org/simple pkg')), [
      '--extra-index-url=http://mirror.example.org/simple'.slice('--extra-index-url='.length),
    ]);
    assert.deepEqual(urls(job('pip install git+http://example.org/o/r.git@v1')), ['http://example.org/o/r.git@v1']);
    assert.deepEqual(urls(job('npm install --registry http://npm.example.org/ left-pad')), ['http://npm.example.org/']);
  });

  test('downloads piped into a shell or an extractor, or saved as a program or package', () => {
    assert.deepEqual(urls(job('curl -fsSL http://get.example.org/install.sh | sudo bash')), ['http://get.example.org/install.sh']);
    assert.deepEqual(urls(job('wget -qO- http://e.example.org/t.tar.xz | xzcat | tar -x')), ['http://e.example.org/t.tar.xz']);
    assert.deepEqual(urls(job('wget -O tool.deb http://e.example.org/tool.deb')), ['http://e.example.org/tool.deb']);
  });

  test('a command line nested in one word (ssh "git clone http://…")', () => {
    const text = job('ssh build@host.example.org "git clone http://github.com/o/r && make"');
    assert.deepEqual(urls(text), ['http://github.com/o/r']);
    assert.equal(run(RULE, text)[0].fixes.length, 1);
  });

  test('a host not known to serve https gets the finding without a fix', () => {
    const found = run(RULE, job('git clone http://git.example.org/r.git'));
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].fixes, []);
    assert.doesNotMatch(found[0].message, /serves it over https/);
  });

  test('scripts handed to third-party actions are read, with exact ranges', () => {
    const text =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: appleboy/ssh-action@v1\n        with:\n          script: git clone git://github.com/o/r\n';
    assert.deepEqual(urls(text), ['git://github.com/o/r']);
  });

  test('registry and index inputs of actions', () => {
    const text =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          registry-url: "http://npm.example.org"\n';
    assert.deepEqual(urls(text), ['http://npm.example.org']);
  });
});

describe('insecure-url-scheme: not findings', () => {
  test('loopback, localhost and service containers', () => {
    assert.deepEqual(urls(job('pip install --index-url http://localhost:3141/root/pypi pkg')), []);
    assert.deepEqual(urls(job('curl http://127.0.0.1:8080/install.sh | sh')), []);
    assert.deepEqual(urls(job('git clone http://[::1]/r.git')), []);
    assert.deepEqual(urls(job('pip install --index-url http://devpi:3141/simple pkg')), []);
    const input =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          registry-url: http://verdaccio:4873\n';
    assert.deepEqual(urls(input), []);
  });

  test('plain-text URLs that fetch no code', () => {
    assert.deepEqual(urls(job('curl -s -o /dev/null -w "%{http_code}" http://example.org/health')), []);
    assert.deepEqual(urls(job('echo "see http://example.org/docs"')), []);
    // apt checks the signatures of what it downloads, whatever the transport.
    assert.deepEqual(
      urls(job('echo "deb http://apt.llvm.org/noble/ llvm-toolchain-noble main" | sudo tee /etc/apt/sources.list.d/llvm.list')),
      [],
    );
    assert.deepEqual(urls(job('wget -O data.csv http://example.org/data.csv')), []);
  });

  test('https, and hosts that are expressions or variables', () => {
    assert.deepEqual(urls(job('git clone https://github.com/o/r')), []);
    assert.deepEqual(urls(job('pip install --index-url http://$MIRROR/simple pkg')), []);
    assert.deepEqual(urls(job('curl http://${{ env.HOST }}/i.sh | sh')), []);
  });
});
