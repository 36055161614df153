// Drives a running code-server with playwright-core + Debian chromium (headless).
//
//   node scripts/e2e/drive.mjs suite <url> <outDir>
//     The URL carries extensionDevelopmentPath + extensionTestsPath in its `payload` query: the workbench runs
//     the Mocha suite (test/e2e) in the real extension host and calls window.codeAutomationExit(code) at the end.
//   node scripts/e2e/drive.mjs ui <url> <outDir> <workspaceDir>
//     The extension is installed from the .vsix: checks it like a user would (Running Extensions, squiggles,
//     Problems panel, status bar, hover, quick-fix menu, applying a fix and saving, the token code lenses, a
//     `uses:` completion typed and accepted) and takes screenshots.
//
// Exit code 0 when everything passed. Screenshots and results.json go to outDir.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [mode, url, outDir, wsDir] = process.argv.slice(2);
if (!['suite', 'ui'].includes(mode) || !url || !outDir) {
  console.error('usage: drive.mjs suite|ui <url> <outDir> [workspaceDir]');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const t0 = Date.now();
const log = (...a) => console.log(`[e2e ${mode} +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const T = (ms) => ({ timeout: ms });
const results = { mode, checks: {} };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
});
const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
const consoleLines = [];
page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
/** A screenshot of the page, or of `clip` (a rectangle in page pixels, clamped to the viewport). */
const shot = (name, clip) => {
  const viewport = page.viewportSize();
  const area = clip && {
    x: Math.max(0, Math.floor(clip.x)),
    y: Math.max(0, Math.floor(clip.y)),
    width: Math.floor(Math.min(clip.width, viewport.width - Math.max(0, clip.x))),
    height: Math.floor(Math.min(clip.height, viewport.height - Math.max(0, clip.y))),
  };
  return page
    .screenshot({ path: path.join(outDir, name), ...(area ? { clip: area } : {}) })
    .catch((error) => log(`screenshot ${name} failed: ${error.message}`));
};
const squash = (text) => text.replace(/\s+/g, ' ').trim();

async function runSuite() {
  let settle;
  const exited = new Promise((resolve) => (settle = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => settle(code));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    console.log(`  [ext host ${type}] ${line}`);
  });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', T(90_000));
  log('workbench loaded; the suite runs in the extension host');
  const timeoutMs = Number(process.env.AW_E2E_SUITE_TIMEOUT_MS || 300_000);
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs))]);
  await shot('suite-end.png');
  results.exitCode = code;
  log(`codeAutomationExit(${code})`);
  return code === 0;
}

async function runCommand(label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor(T(20_000));
  await input.fill('>' + label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor(T(20_000));
  await page.keyboard.press('Enter');
}

async function quickOpen(name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor(T(20_000));
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor(T(20_000));
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).first().waitFor(T(20_000));
}

/** The bounding box of a token in the visible editor lines. */
async function tokenBox(text) {
  const span = page.locator('.editor-instance .monaco-editor .view-lines span span', { hasText: text }).first();
  await span.waitFor(T(20_000));
  const box = await span.boundingBox();
  const full = (await span.innerText()).replace(/\u00a0/g, ' ');
  const at = Math.max(0, full.indexOf(text));
  const charWidth = box.width / Math.max(1, full.length);
  return { x: box.x + at * charWidth, y: box.y, width: text.length * charWidth, height: box.height };
}

const SQUIGGLES = '.editor-instance .monaco-editor .squiggly-error, .editor-instance .monaco-editor .squiggly-warning';

async function runUi() {
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', T(90_000));
  log('workbench loaded');

  // (1) the installed extension is running
  await runCommand('Developer: Show Running Extensions');
  const row = page
    .locator('.runtime-extensions-editor .monaco-list-row', { hasText: /Actions Warden|actions-warden\.actions-warden/ })
    .first();
  await row.waitFor(T(60_000));
  results.checks.runningExtensionsRow = (await row.innerText()).replace(/\s+/g, ' ').trim();
  await page.keyboard.press('Control+W');
  log('(1) running:', results.checks.runningExtensionsRow);

  // (2) squiggles, Problems panel and the status bar item for the vulnerable workflow
  await quickOpen('vulnerable.yml');
  await page.waitForFunction((sq) => document.querySelectorAll(sq).length >= 3, SQUIGGLES, T(60_000));
  results.checks.squiggles = await page.locator(SQUIGGLES).count();
  await page.keyboard.press('Control+Shift+M');
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('.markers-panel .monaco-list-row')].filter((r) =>
        /dangerous-triggers|unpinned-uses|excessive-permissions/.test(r.textContent),
      ).length >= 3,
    null,
    T(30_000),
  );
  results.checks.problems = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((s) =>
    s.replace(/\s+/g, ' ').trim(),
  );
  const status = page.locator('.statusbar-item [aria-label^="Actions Warden:"], .statusbar-item[aria-label^="Actions Warden:"]').first();
  await status.waitFor(T(20_000));
  results.checks.statusBar = { text: (await status.innerText()).trim(), label: await status.getAttribute('aria-label') };
  const counted = Number((results.checks.statusBar.text.match(/\d+/) || ['0'])[0]);
  if (counted < 3) throw new Error(`the status bar should count the (at least 3) findings: ${results.checks.statusBar.text}`);
  await page.waitForTimeout(400);
  await shot('squiggles.png');
  log('(2) squiggles', results.checks.squiggles, '| problems', results.checks.problems.length, '| status', results.checks.statusBar.text);

  // (3) hover over the dangerous trigger: the finding and the trigger explanation, with the docs link
  const trigger = await tokenBox('pull_request_target');
  await page.mouse.move(trigger.x + trigger.width / 2, trigger.y + trigger.height / 2);
  const hover = page.locator('.monaco-hover:visible', { hasText: 'dangerous-triggers' }).first();
  try {
    await hover.waitFor(T(15_000));
  } catch {
    log('mouse hover did not show; fallback: click + Ctrl+K Ctrl+I');
    await page.mouse.click(trigger.x + trigger.width / 2, trigger.y + trigger.height / 2);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await hover.waitFor(T(15_000));
  }
  results.checks.hover = (await hover.innerText()).replace(/\s+/g, ' ').trim().slice(0, 400);
  await page.waitForTimeout(300);
  await shot('hover.png');
  log('(3) hover:', results.checks.hover.slice(0, 120));
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');

  // (4) the quick-fix menu on a missing permissions block; apply the preferred fix with the keyboard and save
  await quickOpen('permissions.yml');
  await page.waitForFunction((sq) => document.querySelectorAll(sq).length >= 1, SQUIGGLES, T(60_000));
  const jobs = await tokenBox('jobs');
  await page.mouse.click(jobs.x + 2, jobs.y + jobs.height / 2);
  await page.waitForTimeout(300);
  await page.keyboard.press('Control+.');
  const item = page.locator('.action-widget .monaco-list-row', { hasText: 'permissions: {}' }).first();
  await item.waitFor(T(20_000));
  results.checks.quickFixMenu = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map((s) =>
    s.replace(/\s+/g, ' ').trim(),
  );
  await shot('quickfix-menu.png');
  for (let i = 0; i < 8; i++) {
    const focused = await page
      .locator('.action-widget .monaco-list-row.focused')
      .first()
      .innerText()
      .catch(() => '');
    if (focused.includes('permissions: {}')) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () =>
      document
        .querySelector('.editor-instance .monaco-editor .view-lines')
        ?.textContent.replace(/\u00a0/g, ' ')
        .includes('permissions: {}'),
    null,
    T(20_000),
  );
  await page.keyboard.press('Control+S');
  const file = path.join(wsDir, '.github/workflows/permissions.yml');
  for (let i = 0; i < 100 && !/^permissions: \{\}$/m.test(fs.readFileSync(file, 'utf8')); i++) await page.waitForTimeout(100);
  results.checks.fileAfterFix = fs.readFileSync(file, 'utf8');
  if (!/^permissions: \{\}$/m.test(results.checks.fileAfterFix)) throw new Error('the quick fix did not reach the file on disk');
  await shot('after-quickfix.png');
  log('(4) quick fix applied and saved');

  // (5) code lenses: each job's token permissions above its id. The side bar and the panel are closed first:
  // the editor gets the width, the suggest details fit beside the list.
  await page.keyboard.press('Control+B');
  await page.keyboard.press('Control+J');
  await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
  await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 10_000 });
  await quickOpen('complete.yml');
  const lenses = '.editor-instance .monaco-editor .codelens-decoration';
  await page.locator(lenses, { hasText: 'token: contents: read' }).first().waitFor(T(60_000));
  await page.locator(lenses, { hasText: 'token: repository default' }).first().waitFor(T(20_000));
  results.checks.codeLenses = (await page.locator(lenses).allInnerTexts()).map(squash);
  if (!results.checks.codeLenses.includes('token: contents: read'))
    throw new Error(`the build job's lens should read "token: contents: read": ${JSON.stringify(results.checks.codeLenses)}`);
  await page.waitForTimeout(300);
  const group = await page.locator('.editor-group-container.active').first().boundingBox();
  await shot('code-lens.png', { x: group.x, y: group.y, width: 820, height: 390 });
  log('(5) code lenses:', results.checks.codeLenses.join(' | '));

  // (6) uses: completion: type a step, trigger suggest (Ctrl+Space), our item pinned to its release commit
  const make = await tokenBox('make');
  await page.mouse.click(make.x + 2, make.y + make.height / 2);
  await page.keyboard.press('Home');
  await page.keyboard.press('Control+Shift+Enter'); // a new line above, indented like this one
  await page.keyboard.type('- uses: actions/checko', { delay: 20 });
  const typedLine = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.editor-instance .monaco-editor .view-line')]
        .map((line) => line.textContent.replace(/\u00a0/g, ' '))
        .find((text) => text.includes('- uses: actions/check')),
    );
  // the new line takes the indentation the editor guesses: bring it to the step's
  const guessed = (await typedLine()) ?? '';
  const indent = guessed.length - guessed.trimStart().length;
  if (indent !== 6) {
    await page.keyboard.press('Home');
    if (indent < 6) await page.keyboard.type(' '.repeat(6 - indent));
    else for (let i = indent; i > 6; i--) await page.keyboard.press('Backspace');
    await page.keyboard.press('End');
  }
  results.checks.completionTyped = await typedLine();
  if (results.checks.completionTyped !== '      - uses: actions/checko')
    throw new Error(`typing the step went wrong: ${JSON.stringify(results.checks.completionTyped)}`);
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  await page.keyboard.press('Control+Space');
  const suggest = page.locator('.editor-widget.suggest-widget.visible');
  const ourRow = suggest.locator('.monaco-list-row', { hasText: 'actions/checkout' }).first();
  await ourRow.waitFor(T(30_000));
  await page.waitForTimeout(500);
  results.checks.completion = (await suggest.locator('.monaco-list-row').allInnerTexts()).map(squash);
  // the item's detail and documentation are in the details beside the list: Ctrl+Space again expands them
  const details = page.locator('.suggest-details:visible', { hasText: 'actions/checkout' });
  if ((await details.count()) === 0) await page.keyboard.press('Control+Space');
  await details.first().waitFor(T(20_000));
  // the details grow when the resolved documentation (offline: a note on the pin) arrives; wait until they stay put
  await page.locator('.suggest-details:visible', { hasText: 'Offline:' }).first().waitFor(T(20_000));
  const focused = squash(await suggest.locator('.monaco-list-row.focused').first().innerText());
  const detail = squash(await details.first().innerText());
  results.checks.completionFocused = { row: focused, detail };
  if (
    !focused.startsWith('actions/checkout') ||
    !focused.includes('verified publisher') ||
    !/v\d+\.\d+\.\d+ \(bundled release table\)/.test(detail) ||
    !detail.includes('Offline: pinned to the release named above')
  )
    throw new Error(`the focused item should be actions/checkout, verified, pinned to its bundled release: ${focused} | ${detail}`);
  // the details keep the size they had before the documentation arrived: collapse and expand them to fit it
  await page.keyboard.press('Control+Space');
  await details.first().waitFor({ state: 'hidden', timeout: 10_000 });
  await page.keyboard.press('Control+Space');
  await page.locator('.suggest-details:visible', { hasText: 'Offline:' }).first().waitFor(T(10_000));
  const container = page.locator('.suggest-details-container', { has: details.first() }).first();
  let detailsBox = await container.boundingBox();
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(250);
    const again = await container.boundingBox();
    if (JSON.stringify(again) === JSON.stringify(detailsBox)) break;
    detailsBox = again;
  }
  const widget = await suggest.boundingBox();
  log('suggest list', JSON.stringify(widget), 'details', JSON.stringify(detailsBox));
  const right = Math.max(widget.x + widget.width, detailsBox.x + detailsBox.width);
  const bottom = Math.max(widget.y + widget.height, detailsBox.y + detailsBox.height);
  const editorBox = await page.locator('.editor-instance .monaco-editor').first().boundingBox();
  const line = await tokenBox('actions/checko');
  const top = Math.min(line.y, widget.y) - 150;
  await shot('completion.png', {
    x: editorBox.x,
    y: top,
    width: Math.max(right, line.x + line.width) + 30 - editorBox.x,
    height: Math.max(bottom, line.y + line.height) + 30 - top,
  });
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('.editor-instance .monaco-editor .view-line')].some((line) =>
        /- uses: actions\/checkout@[0-9a-f]{40} # v\d/.test(line.textContent.replace(/\u00a0/g, ' ')),
      ),
    null,
    T(20_000),
  );
  results.checks.completionInserted = await typedLine();
  const release = detail.match(/(v\d+\.\d+\.\d+) \(bundled release table\)/)[1];
  if (!results.checks.completionInserted.endsWith(` # ${release}`))
    throw new Error(`the accepted item should insert the release its details name (${release}): ${results.checks.completionInserted}`);
  log('(6) completion:', focused, '|', detail.slice(0, 100), '| inserted:', results.checks.completionInserted);
  return true;
}

let ok = false;
try {
  ok = mode === 'suite' ? await runSuite() : await runUi();
} catch (error) {
  console.error(`E2E ${mode} FAILURE: ${error.stack || error.message}`);
  await shot('failure.png');
} finally {
  results.ok = ok;
  results.seconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(outDir, 'browser-console.log'), consoleLines.join('\n'));
  await browser.close();
}
process.exit(ok ? 0 : 1);
