/**
 * The documentation says what the code does. Every list here is read from the code (the rule registry, the
 * built-in ids, the CLI's help text, package.json's settings) or from what the CLI reports, never written out.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { DOCS_BASE_URL, ruleDocsUrl } from '../../../shared/src/rule-docs';
import { BUILT_IN_RULES } from '../../../server/src/findings';
import { RULES } from '../../../server/src/rules';
import { HELP_TEXT } from '../../../server/src/cli/args';
import { runCli } from '../../support/cli';

const root = process.cwd();
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const allIds = [...RULES.map((rule) => rule.id), ...BUILT_IN_RULES.map((rule) => rule.id)];

/** Files under `dir` (relative to the repository root) whose name ends with one of `extensions`. */
function filesUnder(dir: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(join(root, path))) {
      const child = join(path, name);
      if (statSync(join(root, child)).isDirectory()) walk(child);
      else if (extensions.some((extension) => name.endsWith(extension))) found.push(child);
    }
  };
  walk(dir);
  return found.sort();
}

/** The rows of docs/rules/README.md's table, by rule id: the cells without footnote marks. */
function indexRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of read('docs/rules/README.md').split('\n')) {
    const match = /^\| \[`([a-z0-9-]+)`\]/.exec(line);
    if (!match) continue;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.replace(/[¹²³⁴⁵]/g, '').trim());
    rows.set(match[1], cells);
  }
  return rows;
}

/** A word bounded by anything that cannot continue a flag or a setting name. */
const mentions = (text: string, word: string) => {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.-])${escaped}(?![\\w-])`).test(text);
};

describe('docs: rules', () => {
  test('every rule id, the built-in ones included, has a page and a row in docs/rules/README.md', () => {
    const rows = indexRows();
    const missingPages = allIds.filter((id) => !existsSync(join(root, 'docs', 'rules', `${id}.md`)));
    const missingRows = allIds.filter((id) => !rows.has(id));
    assert.deepEqual(missingPages, [], 'ids without docs/rules/<id>.md');
    assert.deepEqual(missingRows, [], 'ids without a row in docs/rules/README.md');
  });

  test("each built-in id's row gives its default severity, confidence and persona", () => {
    const rows = indexRows();
    for (const rule of BUILT_IN_RULES) {
      const [, , , severity, confidence, persona] = rows.get(rule.id) ?? [];
      assert.ok(
        severity?.split(' / ').includes(rule.severity),
        `${rule.id}: severity ${severity} in docs/rules/README.md, ${rule.severity} in code`,
      );
      assert.equal(confidence, rule.confidence, `${rule.id}: confidence`);
      assert.equal(persona, rule.persona, `${rule.id}: persona`);
    }
  });

  test('no row or page for an id that is no rule', () => {
    const known = new Set(allIds);
    const stale = [...indexRows().keys()].filter((id) => !known.has(id));
    const pages = readdirSync(join(root, 'docs', 'rules'))
      .filter((name) => name.endsWith('.md') && name !== 'README.md')
      .map((name) => name.slice(0, -3))
      .filter((id) => !known.has(id));
    assert.deepEqual(stale, [], 'rows of docs/rules/README.md for ids the code does not know');
    assert.deepEqual(pages, [], 'pages in docs/rules/ for ids the code does not know');
  });
});

describe('docs: links', () => {
  test('every documentation link of the code names an existing page', () => {
    // The rule pages that diagnostics, hovers, SARIF and JSON link to.
    assert.ok(DOCS_BASE_URL.endsWith('/docs/rules'));
    for (const id of allIds) {
      const path = ruleDocsUrl(id).slice(DOCS_BASE_URL.length - 'docs/rules'.length);
      assert.ok(existsSync(join(root, path)), `${ruleDocsUrl(id)}: no ${path}`);
    }
    // `docs/….md` written in the code, in comments or in text shown to users. A path that follows another
    // repository's name (`owner/repo docs/x.md`, `owner/repo:docs/x.md`) or URL, or is cited at a commit
    // (`docs/x.md@06905c7`), is that repository's.
    const broken: string[] = [];
    for (const file of [...filesUnder('server/src', ['.ts']), ...filesUnder('client/src', ['.ts']), ...filesUnder('shared/src', ['.ts'])]) {
      const text = read(file);
      for (const match of text.matchAll(/(?<![\w/.:-])docs\/[\w./-]*\w\.md(?!@)/g)) {
        const before = text.slice(Math.max(0, match.index - 80), match.index);
        if (/[\w.-]+\/[\w.-]+ $/.test(before)) continue;
        if (!existsSync(join(root, match[0]))) broken.push(`${file}: ${match[0]}`);
      }
      for (const match of text.matchAll(/actions-warden\/actions-warden\/blob\/main\/([\w./-]*\w)/g)) {
        if (!existsSync(join(root, match[1]))) broken.push(`${file}: ${match[0]}`);
      }
    }
    assert.deepEqual(broken, [], 'links to pages that do not exist');
  });

  test('every relative link between documentation pages names an existing file', () => {
    const broken: string[] = [];
    const pages = [...filesUnder('docs', ['.md']), 'README.md', 'examples/README.md'];
    for (const page of pages) {
      for (const match of read(page).matchAll(/\]\(([^)\s#:]+)(#[^)\s]*)?\)/g)) {
        const target = join(root, dirname(page), match[1]);
        if (!existsSync(target)) broken.push(`${page}: ${match[1]} (${relative(root, target)})`);
      }
    }
    assert.deepEqual(broken, [], 'relative links to missing files');
  });
});

describe('docs: README', () => {
  const readme = read('README.md');

  test('every CLI flag of --help appears in README.md', () => {
    const flags = [...new Set(HELP_TEXT.match(/(?<![\w-])--[a-z][a-z-]*[a-z]/g) ?? [])].sort();
    assert.ok(flags.length > 10, `--help lists ${flags.length} flags`);
    const missing = flags.filter((flag) => !mentions(readme, flag));
    assert.deepEqual(missing, [], 'flags of --help that README.md never mentions');
  });

  test('every setting of package.json appears in README.md', () => {
    const manifest = JSON.parse(read('package.json'));
    const sections = [manifest.contributes?.configuration ?? []].flat();
    const settings = sections.flatMap((section: { properties?: Record<string, unknown> }) => Object.keys(section.properties ?? {}));
    assert.ok(settings.length > 3, `package.json contributes ${settings.length} settings`);
    const missing = settings.filter((setting: string) => !mentions(readme, setting));
    assert.deepEqual(missing, [], 'settings of package.json that README.md never mentions');
  });
});

describe('docs: examples/README.md against the CLI', () => {
  const text = read('examples/README.md');
  const ruleIds = new Set(allIds);
  const reported = async (args: string[]) => {
    const { stdout } = await runCli(['--format', 'json', '--offline', ...args], { cwd: root });
    const report = JSON.parse(stdout) as { findings: { ruleId: string; severity: string }[] };
    return report.findings;
  };

  test('every rule the page names fires on examples/vulnerable, and none is marked planned', async () => {
    const fired = new Set((await reported(['--persona', 'auditor', 'examples/vulnerable'])).map((finding) => finding.ruleId));
    // The part of the page about vulnerable/ (the sections after it describe the other example repositories).
    const vulnerablePart = text.split('\n## `hardened/`')[0];
    const named = [...vulnerablePart.matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1]).filter((id) => ruleIds.has(id));
    assert.ok(named.length > 5, `examples/README.md names ${named.length} rules`);
    assert.deepEqual(
      [...new Set(named)].filter((id) => !fired.has(id)),
      [],
      'rules examples/README.md names that do not fire on examples/vulnerable at the auditor persona',
    );
    const planned = text
      .split('\n')
      .filter((line) => /planned/i.test(line))
      .flatMap((line) => [...line.matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1]))
      .filter((id) => fired.has(id));
    assert.deepEqual(planned, [], 'rules marked planned that fire');
  });

  test('the counts the page gives are those the CLI reports', async () => {
    const regular = await reported(['examples/vulnerable']);
    const counts = /reports (\d+) findings in these two files \((\d+) high, (\d+) medium(?:, (\d+) low)?\)/.exec(text);
    assert.ok(counts, "examples/README.md gives the regular persona's counts on vulnerable/");
    const count = (severity: string) => regular.filter((finding) => finding.severity === severity).length;
    assert.deepEqual(
      counts.slice(1).map((value) => Number(value ?? 0)),
      [regular.length, count('high'), count('medium'), count('low')],
      'examples/README.md: "reports N findings in these two files (H high, M medium, L low)"',
    );
    assert.equal(regular.length, count('high') + count('medium') + count('low'), 'every finding is counted by its severity');
  });

  test('the rules the auditor persona adds are the ones the page lists', async () => {
    const regular = new Set((await reported(['examples/vulnerable'])).map((finding) => finding.ruleId));
    const added = [...new Set((await reported(['--persona', 'auditor', 'examples/vulnerable'])).map((finding) => finding.ruleId))]
      .filter((id) => !regular.has(id))
      .sort();
    const sentence = /`--persona auditor` adds the findings of the stricter rules \(([^)]*)\)/.exec(text.replace(/\s+/g, ' '));
    assert.ok(sentence, 'examples/README.md says which rules --persona auditor adds');
    const listed = [...sentence[1].matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1]).sort();
    assert.deepEqual(listed, added);
  });

  test('hardened/ reports nothing with the regular nor the auditor persona, as the page says', async () => {
    assert.match(text, /Scanning `hardened\/` reports nothing/);
    assert.deepEqual(await reported(['examples/hardened']), []);
    assert.deepEqual(await reported(['--persona', 'auditor', 'examples/hardened']), []);
  });
});
