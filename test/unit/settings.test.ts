import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../shared/src/settings';
import { analysisOptions } from '../../server/src/features/context';

test('settings from the client are validated field by field', () => {
  const settings = normalizeSettings({
    persona: 'auditor',
    minSeverity: 'bogus',
    minConfidence: 'high',
    debounceMs: 1e9,
    offline: 'yes',
    github: { serverUrl: ' https://ghe.example ', token: 42 },
  });
  assert.equal(settings.persona, 'auditor');
  assert.equal(settings.minSeverity, DEFAULT_SETTINGS.minSeverity);
  assert.equal(settings.minConfidence, 'high');
  assert.equal(settings.debounceMs, 5000);
  assert.equal(settings.offline, false);
  assert.equal(settings.github.serverUrl, 'https://ghe.example');
  assert.equal(settings.github.apiUrl, 'https://ghe.example/api/v3', 'the API follows a GitHub Enterprise server URL given alone');
  assert.equal(settings.github.token, '');
  assert.deepEqual(normalizeSettings(null), DEFAULT_SETTINGS);
});

test('the analysis honours the persona, minimum severity and minimum confidence settings', () => {
  const options = analysisOptions(normalizeSettings({ persona: 'pedantic', minSeverity: 'medium', minConfidence: 'medium' }));
  assert.equal(options.persona, 'pedantic');
  assert.equal(options.minSeverity, 'medium');
  assert.equal(options.minConfidence, 'medium');
});

test('the scope setting is workspace by default and takes only its two values', () => {
  assert.equal(DEFAULT_SETTINGS.scope, 'workspace');
  assert.equal(normalizeSettings({ scope: 'openFiles' }).scope, 'openFiles');
  assert.equal(normalizeSettings({ scope: 'everything' }).scope, 'workspace');
});
