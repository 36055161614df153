import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fixAndRecheck, run, texts } from '../../support/attack-path-rules';

const job = (script: string) =>
  `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n${script
    .split('\n')
    .map((line) => `          ${line}`)
    .join('\n')}\n`;

test('LiteLLM: curl | sh and bash <(curl) are high', () => {
  const text = job('curl -sfL https://raw.githubusercontent.com/aquasecurity/trivy/main/contrib/install.sh | sh -s -- -b /usr/local/bin');
  const findings = run('unverified-download', text);
  assert.deepEqual(texts(text, findings), ['curl']);
  assert.equal(findings[0].severity, 'high');
  assert.equal(run('unverified-download', job('bash <(curl -fsSL https://get.example.com)')).length, 1);
  assert.equal(run('unverified-download', job('sh -c "$(wget -qO- https://x.dev/install)"')).length, 1);
});

test('saved then executed, extracted or installed without a check', () => {
  assert.equal(run('unverified-download', job('curl -Lo tool.tgz https://e.com/v1/tool.tgz\ntar xzf tool.tgz')).length, 1);
  assert.equal(run('unverified-download', job('wget https://e.com/v1/tool.deb\nsudo dpkg -i tool.deb')).length, 1);
  assert.equal(run('unverified-download', job('pip install https://e.com/pkg.whl')).length, 1);
});

test("gh release download: a named asset extracted or run without a check (astral-sh/uv's nushell install)", () => {
  const nushell =
    'nu_tag=$(gh release list --repo nushell/nushell --limit 1)\ngh release download ${nu_tag} --repo nushell/nushell --pattern "nu-${nu_tag}-x86_64-unknown-linux-gnu.tar.gz"\ntar -xf "nu-${nu_tag}-x86_64-unknown-linux-gnu.tar.gz"';
  const text = job(nushell);
  const findings = run('unverified-download', text);
  assert.deepEqual(texts(text, findings), ['gh']);
  assert.equal(findings[0].severity, 'medium');
  assert.match(findings[0].message, /downloaded to `nu-\$\{nu_tag\}-x86_64-unknown-linux-gnu\.tar\.gz` and then extracted/);
  // -O names the file; --dir places a named asset.
  assert.equal(run('unverified-download', job('gh release download v1 --repo o/r -p tool -O bin/tool\n./bin/tool --version')).length, 1);
  assert.equal(
    run('unverified-download', job('gh release download v1 --repo o/r --pattern tool.deb --dir out\nsudo dpkg -i out/tool.deb')).length,
    1,
  );
  // Verified, or assets chosen by a glob (the file is not known), or never used: clean.
  assert.equal(run('unverified-download', job(`${nushell.replace('\ntar', '\nsha256sum -c nu.sha256\ntar')}`)).length, 0);
  assert.equal(
    run(
      'unverified-download',
      job('gh release download v1 --repo o/r -p "tool.tgz"\ngh attestation verify tool.tgz --repo o/r\ntar xzf tool.tgz'),
    ).length,
    0,
  );
  assert.equal(run('unverified-download', job('gh release download v1 --repo o/r -p "*.tgz"\ntar xzf tool.tgz')).length, 0);
  assert.equal(run('unverified-download', job('gh release download v1 --repo o/r -p notes.md\ncat notes.md')).length, 0);
});

test('verified downloads, SHA-addressed raw URLs and data fetches are clean', () => {
  assert.equal(
    run('unverified-download', job('curl -Lo tool.tgz https://e.com/v1/tool.tgz\necho "abc  tool.tgz" | sha256sum -c -\ntar xzf tool.tgz'))
      .length,
    0,
  );
  assert.equal(
    run(
      'unverified-download',
      job('curl -fsSL https://raw.githubusercontent.com/o/r/0123456789abcdef0123456789abcdef01234567/install.sh | bash'),
    ).length,
    0,
  );
  assert.equal(run('unverified-download', job('curl -s https://api.github.com/repos/o/r/releases | jq .[0]')).length, 0);
  assert.equal(run('unverified-download', job("cat <<'EOF' > x.sh\ncurl https://e.com | sh\nEOF")).length, 0);
});

test('checksums config: quick fix inserts a verification line', () => {
  const hash = 'a'.repeat(64);
  const text = job('curl -Lo tool.tgz https://e.com/v1.2.3/tool.tgz\ntar xzf tool.tgz');
  const fixed = fixAndRecheck('unverified-download', text, undefined, { checksums: { 'https://e.com/*/tool.tgz': hash } });
  assert.ok(
    fixed.includes(
      `          curl -Lo tool.tgz https://e.com/v1.2.3/tool.tgz\n          echo "${hash}  tool.tgz" | sha256sum -c -\n          tar xzf tool.tgz`,
    ),
    fixed,
  );
});

test('composite actions are checked', () => {
  const action = 'runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: curl -sSL https://x.io/i.sh | bash\n';
  assert.equal(run('unverified-download', action, 'action.yml').length, 1);
});

const pwshJob = (script: string) =>
  `on: push\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - shell: pwsh\n        run: |\n${script
    .split('\n')
    .map((line) => `          ${line}`)
    .join('\n')}\n`;

test('a download piped through a decompressor into tar is followed; over `/` it is high', () => {
  const text = job('wget -O- https://e.com/t.tar.xz | xzcat | sudo tar -x -C /');
  const findings = run('unverified-download', text);
  assert.deepEqual(texts(text, findings), ['wget']);
  assert.equal(findings[0].severity, 'high');
  assert.match(findings[0].message, /extracted \(`tar`\) over `\/`/);
  const elsewhere = run('unverified-download', job('curl -fsSL https://e.com/t.tar.gz | gzip -dc | tar -x -C out'));
  assert.equal(elsewhere.length, 1);
  assert.equal(elsewhere[0].severity, 'medium');
  // Through a decompressor into something that is neither a shell nor an extractor: nothing runs.
  assert.deepEqual(run('unverified-download', job('curl -fsSL https://e.com/notes.xz | xzcat | grep version')), []);
});

test('PowerShell: curl.exe -o, and Invoke-WebRequest -Uri … -OutFile, then run', () => {
  const curlExe = pwshJob('curl.exe -L -o setup.exe https://e.com/setup.exe\n.\\setup.exe /S');
  const found = run('unverified-download', curlExe);
  assert.deepEqual(texts(curlExe, found), ['curl.exe']);
  assert.equal(found[0].severity, 'high');
  const iwr = pwshJob('Invoke-WebRequest -Uri https://e.com/i.ps1 -OutFile i.ps1\n./i.ps1');
  assert.deepEqual(texts(iwr, run('unverified-download', iwr)), ['Invoke-WebRequest']);
});

test('PowerShell: Invoke-WebRequest, Expand-Archive, then a program of the extracted tree is run (high, at the run)', () => {
  const text = pwshJob(
    'Invoke-WebRequest -Uri https://e.com/tool.zip -OutFile tool.zip\nExpand-Archive -Path tool.zip -DestinationPath tool\n.\\tool\\setup.exe',
  );
  const findings = run('unverified-download', text);
  assert.deepEqual(texts(text, findings), ['Invoke-WebRequest']);
  assert.equal(findings[0].severity, 'high');
  assert.match(findings[0].message, /extracted and run/);
  assert.equal(text.slice(findings[0].related[0].span.start, findings[0].related[0].span.end), '.\\tool\\setup.exe');
  // Extracted and never run from there: medium.
  const unpacked = run(
    'unverified-download',
    pwshJob('Invoke-WebRequest -Uri https://e.com/d.zip -OutFile d.zip\nExpand-Archive -Path d.zip -DestinationPath data'),
  );
  assert.equal(unpacked[0]?.severity, 'medium');
});

test('PowerShell: a checked download is not reported', () => {
  const text = pwshJob(
    'Invoke-WebRequest -Uri https://e.com/tool.zip -OutFile tool.zip\nif ((Get-FileHash tool.zip).Hash -ne $env:SUM) { exit 1 }\nExpand-Archive -Path tool.zip -DestinationPath tool\n.\\tool\\setup.exe',
  );
  assert.deepEqual(run('unverified-download', text), []);
});

// Actions from the bundled table of binary downloads (knowledge/binary-downloads.ts): pedantic, on `uses:`.
const step = (uses: string, inputs: Record<string, string> = {}) =>
  `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ${uses}\n${
    Object.keys(inputs).length
      ? `        with:\n${Object.entries(inputs)
          .map(([key, value]) => `          ${key}: ${value}\n`)
          .join('')}`
      : ''
  }`;

test('an action that never checks its download: pedantic, on the uses value, naming the binary and what to do', () => {
  const text = step('denoland/setup-deno@v2');
  const findings = run('unverified-download', text);
  assert.deepEqual(texts(text, findings), ['denoland/setup-deno@v2']);
  assert.equal(findings[0].persona, 'pedantic');
  assert.equal(findings[0].severity, 'low');
  assert.match(findings[0].message, /downloads deno from .* without a checksum or signature check: .*sha256/);
  // Whatever the version or pin: the code read never checks.
  assert.equal(run('unverified-download', step('oven-sh/setup-bun@735343b667d3e6f658f44d0eca948eb6282f2b76 # v2.0.2')).length, 1);
  // Inside a composite action too.
  const action = 'runs:\n  using: composite\n  steps:\n    - uses: rui314/setup-mold@v1\n';
  assert.deepEqual(texts(action, run('unverified-download', action, 'action.yml')), ['rui314/setup-mold@v1']);
});

test('actions that check their download, or are not in the table, are silent', () => {
  assert.equal(run('unverified-download', step('sigstore/cosign-installer@v4')).length, 0);
  assert.equal(run('unverified-download', step('goreleaser/goreleaser-action@v7')).length, 0);
  assert.equal(run('unverified-download', step('actions/checkout@v5')).length, 0);
  assert.equal(run('unverified-download', step('./local-setup')).length, 0);
});

test('setup-node, setup-python, setup-go: the runner tool cache first; reported only when check-latest: true makes a download likely', () => {
  for (const action of ['actions/setup-node@v6', 'actions/setup-python@v6', 'actions/setup-go@v6']) {
    assert.equal(run('unverified-download', step(action, { 'node-version': '20' })).length, 0, action);
    assert.equal(run('unverified-download', step(action, { 'check-latest': 'false' })).length, 0, action);
    const latest = step(action, { 'check-latest': 'true' });
    const findings = run('unverified-download', latest);
    assert.deepEqual(texts(latest, findings), [action]);
    assert.match(
      findings[0].message,
      /without a checksum or signature check whenever the runner image lacks the newest release `check-latest: true` resolves: drop `check-latest: true`/,
    );
  }
  const pinned = step('actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0', { 'check-latest': 'true' });
  assert.match(run('unverified-download', pinned)[0].message, /downloads Node\.js/);
});

test('golangci-lint-action: silent when install-mode builds with go install or installs nothing', () => {
  assert.equal(run('unverified-download', step('golangci/golangci-lint-action@v9')).length, 1);
  assert.match(run('unverified-download', step('golangci/golangci-lint-action@v9'))[0].message, /`install-mode: goinstall`/);
  assert.equal(run('unverified-download', step('golangci/golangci-lint-action@v9', { 'install-mode': 'goinstall' })).length, 0);
  assert.equal(run('unverified-download', step('golangci/golangci-lint-action@v9', { 'install-mode': 'none' })).length, 0);
  assert.equal(run('unverified-download', step('golangci/golangci-lint-action@v9', { 'install-mode': 'binary' })).length, 1);
});

test('verifies since a release: older releases are reported, newer and unknown ones are not', () => {
  const old = step('goreleaser/goreleaser-action@v6');
  assert.match(run('unverified-download', old)[0].message, /releases before v7\.1\.0 do not check it/);
  assert.equal(run('unverified-download', step('goreleaser/goreleaser-action@v7.0.1')).length, 1);
  assert.equal(run('unverified-download', step('goreleaser/goreleaser-action@v7.1.0')).length, 0);
  // A SHA pin: its version comment decides; without one (and not a bundled release) nothing is guessed.
  const sha = 'goreleaser/goreleaser-action@9c156ee8a17a598857849441385a2041ef570552';
  assert.equal(run('unverified-download', step(`${sha} # v6.3.0`)).length, 1);
  assert.equal(run('unverified-download', step(`${sha} # v7.2.0`)).length, 0);
  assert.equal(run('unverified-download', step(sha)).length, 0);
  assert.equal(run('unverified-download', step('goreleaser/goreleaser-action@main')).length, 0);
});

test('setup-java: checked only with verify-signature: true, from v5.5.0', () => {
  const off = run('unverified-download', step('actions/setup-java@v5', { distribution: 'temurin' }));
  assert.match(off[0].message, /`verify-signature` is not set: pass `verify-signature: true`/);
  assert.match(
    run('unverified-download', step('actions/setup-java@v5', { 'verify-signature': 'false' }))[0].message,
    /`verify-signature` is `false`/,
  );
  assert.equal(run('unverified-download', step('actions/setup-java@v5', { 'verify-signature': 'true' })).length, 0);
  assert.equal(run('unverified-download', step('actions/setup-java@v5.6.0', { 'verify-signature': 'true' })).length, 0);
  assert.match(
    run('unverified-download', step('actions/setup-java@v5.4.0', { 'verify-signature': 'true' }))[0].message,
    /is ignored before v5\.5\.0/,
  );
  assert.equal(run('unverified-download', step('actions/setup-java@v5', { 'verify-signature': '${{ inputs.verify }}' })).length, 0);
});

test('setup-uv: reported when neither checksum nor an exact version is given, or the checksum is left empty', () => {
  const bare = step('astral-sh/setup-uv@v7');
  const findings = run('unverified-download', bare);
  assert.deepEqual(texts(bare, findings), ['astral-sh/setup-uv@v7']);
  assert.match(findings[0].message, /`checksum` is not set; `version` selects the version it finds in the project or the latest/);
  assert.match(findings[0].message, /pass `checksum:`/);
  assert.match(run('unverified-download', step('astral-sh/setup-uv@v7', { version: 'latest' }))[0].message, /selects `latest`/);
  assert.match(
    run('unverified-download', step('astral-sh/setup-uv@v7', { version: '"0.9.x"', checksum: "''" }))[0].message,
    /`checksum` is empty/,
  );
  assert.equal(run('unverified-download', step('astral-sh/setup-uv@v7', { version: '0.9.26' })).length, 0);
  assert.equal(run('unverified-download', step('astral-sh/setup-uv@v7', { version: '${{ matrix.uv }}' })).length, 0);
  assert.equal(run('unverified-download', step('astral-sh/setup-uv@v7', { version: 'latest', checksum: 'a'.repeat(64) })).length, 0);
});

test('input values quoted in the message are shown on one line, bounded, with no backtick of their own', () => {
  const hostile = `"1.0\`[Click](https://evil.example)\`\\n\\u202e${'9'.repeat(5000)}"`;
  const cases = [
    step('astral-sh/setup-uv@v6', { version: hostile }),
    step('actions/setup-java@v5', { 'verify-signature': hostile }),
    step('astral-sh/setup-uv@v6`x', { version: hostile }),
  ];
  for (const text of cases) {
    const findings = run('unverified-download', text);
    assert.equal(findings.length, 1, text.slice(0, 80));
    const message = findings[0].message;
    assert.ok(message.length < 1000, `${message.length} characters`);
    assert.ok(!message.includes('\n') && !message.includes('\u202e'), message);
    assert.equal((message.match(/`/g) ?? []).length % 2, 0, message);
    assert.ok(!message.includes('`[Click]'), message);
    assert.match(message, /1\.0.*…/, 'the start of the value is still shown');
  }
});
