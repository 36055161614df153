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
