// Drives a running code-server with playwright-core + Debian chromium (headless).
//
//   node scripts/e2e/drive.mjs suite <url> <outDir>
//     The URL carries extensionDevelopmentPath + extensionTestsPath in its `payload` query: the workbench runs
//     the Mocha suite (test/e2e) in the real extension host and calls window.codeAutomationExit(code) at the end.
//   node scripts/e2e/drive.mjs ui <url> <outDir> <workspaceDir>
//     The extension is installed from the .vsix: checks it like a user would (Running Extensions, squiggles,
//     Problems panel, status bar, hover, quick-fix menu, applying a fix and saving) and takes screenshots.
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
const shot = (name) =>
  page.screenshot({ path: path.join(outDir, name) }).catch((error) => log(`screenshot ${name} failed: ${error.message}`));

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
