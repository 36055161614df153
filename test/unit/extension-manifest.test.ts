/**
 * The VS Code manifest: activation only where it matters (not every YAML file), the icon shipped in the
 * .vsix and no source map, every walkthrough step runs a contributed command the extension registers,
 * and the keybindings are documented in docs/editors.md.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Commands } from '../../shared/src/protocol';

function repoRoot(): string {
  for (let dir = __dirname; ; dir = join(dir, '..')) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'actions-warden') return dir;
    } catch {
      // Keep going up.
    }
    if (join(dir, '..') === dir) return process.cwd();
  }
}

const ROOT = repoRoot();
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The allow-list of .vscodeignore: the `!path` lines. */
const shipped = readFileSync(join(ROOT, '.vscodeignore'), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('!'))
  .map((line) => line.slice(1).trim());

describe('the VS Code extension manifest', () => {
  test('activates on workflow folders, action metadata, actions.lock, Dependabot and our configuration, not on every YAML file', () => {
    const events: string[] = manifest.activationEvents;
    assert.ok(!events.includes('onLanguage:yaml'));
    for (const wanted of ['.github/workflows/', 'action.{yml,yaml}', 'actions.lock', 'dependabot.{yml,yaml}', 'actions-warden.{yml,yaml}'])
      assert.ok(
        events.some((event) => event.startsWith('workspaceContains:') && event.includes(wanted)),
        `${wanted} in ${events.join(', ')}`,
      );
  });

  test('the icon is a 128×128 PNG the .vsix ships; no source map is shipped', () => {
    assert.equal(manifest.icon, 'images/icon.png');
    assert.ok(shipped.includes(manifest.icon));
    const png = readFileSync(join(ROOT, manifest.icon));
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
    assert.ok(shipped.every((path) => !path.endsWith('.map') && !path.endsWith('*.js')));
  });

  test('every contributed command is one the extension registers; the walkthrough steps run contributed commands', () => {
    const contributed = new Set<string>(manifest.contributes.commands.map((command: { command: string }) => command.command));
    const registered = new Set<string>(Object.values(Commands));
    for (const command of contributed) assert.ok(registered.has(command), command);
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.steps.length, 3);
    for (const step of walkthrough.steps) {
      const linked = /\(command:([A-Za-z.]+)\)/.exec(step.description)?.[1];
      assert.ok(linked && contributed.has(linked), `${step.id}: ${linked}`);
      assert.deepEqual(step.completionEvents, [`onCommand:${linked}`]);
      assert.ok(shipped.includes(step.media.image), step.media.image);
    }
  });

  test('the keybindings are documented', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'editors.md'), 'utf8');
    for (const binding of manifest.contributes.keybindings) {
      assert.ok(docs.includes(binding.key), binding.key);
      assert.ok(docs.includes(binding.mac), binding.mac);
      assert.ok(docs.includes(binding.command), binding.command);
    }
  });

  test('the settings contract of docs/editors.md names every server setting', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'editors.md'), 'utf8');
    for (const key of Object.keys(manifest.contributes.configuration.properties)) {
      if (key === 'actionsWarden.trace.server') continue; // The VS Code client's own.
      assert.ok(docs.includes(key.replace(/^actionsWarden\./, '')), key);
    }
  });
});
