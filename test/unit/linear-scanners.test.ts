/**
 * The scanners that replace backtracking regular expressions do what those expressions did: each is compared with
 * the expression it replaces on thousands of short random strings over the characters that matter (short, so the
 * old expressions are fast here), plus a few written cases. The time they take on long inputs is
 * adversarial-inputs.test.ts's business.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withoutRef } from '../../server/src/features/document-links';
import {
  cutFromFirst,
  joinLines,
  replaceExpressionFences,
  trimEndOf,
  trimEndOfSpaceAnd,
  wildcardMatch,
} from '../../server/src/parse/strings';
import { withoutComment } from '../../server/src/permissions/run-heuristics';
import { quotedStrings } from '../../server/src/knowledge/agents/settings-json';
import { nextPiece, validatedNames } from '../../server/src/rules/support/shell-text';
import { rng } from '../support/fuzz';

const ITERATIONS = 3000;

function strings(alphabet: readonly string[], seed: number, maxLength = 12): string[] {
  const random = rng(seed);
  const found: string[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    let text = '';
    for (let n = Math.floor(random() * (maxLength + 1)); n > 0; n--) text += alphabet[Math.floor(random() * alphabet.length)];
    found.push(text);
  }
  return found;
}

function same<T>(inputs: readonly string[], scanner: (text: string) => T, expression: (text: string) => T): void {
  for (const text of inputs) assert.deepEqual(scanner(text), expression(text), JSON.stringify(text));
}

describe('scanners agree with the expressions they replace', () => {
  test('trailing runs', () => {
    same(
      strings(['/', 'a', '\n', ' '], 1),
      (t) => trimEndOf(t, '/'),
      (t) => t.replace(/\/+$/, ''),
    );
    same(
      strings(['/', '\\', 'a', '\n'], 2),
      (t) => trimEndOf(t, '\\/'),
      (t) => t.replace(/[\\/]+$/, ''),
    );
    same(
      strings(['\n', 'a', '\r', ' '], 3),
      (t) => trimEndOf(t, '\n'),
      (t) => t.replace(/\n+$/, ''),
    );
    same(
      strings(['.', ' ', '\t', '\n', 'a', '\u00a0'], 4),
      (t) => trimEndOfSpaceAnd(t, '.'),
      (t) => t.replace(/[.\s]+$/, ''),
    );
  });

  test('cut from a character with no line break after it', () => {
    same(
      strings(['@', 'a', '/', '\n', '\r', '\u2028'], 5),
      (t) => cutFromFirst(t, '@'),
      (t) => t.replace(/@.*$/, ''),
    );
    same(
      strings(['?', '#', 'a', '\n', '\r'], 6),
      (t) => cutFromFirst(t, '?#'),
      (t) => t.replace(/[?#].*$/, ''),
    );
    same(strings(['@', '/', 'a', '\n'], 7), withoutRef, (t) => t.replace(/@[^/]*$/, ''));
    same(strings(['#', ' ', '\t', 'a', '\r', '\u2029'], 8), withoutComment, (t) => t.replace(/(^|\s)#.*$/, ''));
  });

  test('expression fences and line joining', () => {
    same(
      strings(['${{', '}}', '}', '{', 'a', '\n', '$'], 9),
      (t) => replaceExpressionFences(t, '0'),
      (t) => t.replace(/\$\{\{[\s\S]*?\}\}/g, '0'),
    );
    same(strings([' ', '\t', '\n', '\r', 'a', '\u00a0'], 10), joinLines, (t) => t.replace(/\s*\r?\n\s*/g, ' '));
  });

  test('quoted strings of a loose JSON list', () => {
    same(strings(['"', '\\', 'a', '\n', ' '], 11, 14), quotedStrings, (t) => [...t.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]));
  });

  test('checksum patterns', () => {
    const patterns = strings(['*', 'a', 'b', '.'], 12, 6);
    const texts = strings(['a', 'b', '.'], 13, 8);
    for (let i = 0; i < ITERATIONS; i++) {
      const pattern = patterns[i];
      const old = new RegExp(
        `^${pattern
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      assert.equal(wildcardMatch(pattern, texts[i]), old.test(texts[i]), `${pattern} ~ ${texts[i]}`);
      assert.equal(wildcardMatch(pattern, pattern.replace(/\*/g, 'ab')), true, pattern);
    }
  });

  test('checksum patterns: a long run the pattern almost matches takes linear time', () => {
    // One star before a long literal that fails only at its last character: a matcher that returns to the
    // star retries the whole literal at every position (pattern × text steps).
    const started = Date.now();
    assert.equal(wildcardMatch(`*${'a'.repeat(50_000)}b`, 'a'.repeat(100_000)), false);
    assert.equal(wildcardMatch(`x*${'ab'.repeat(25_000)}c*y`, `x${'ab'.repeat(50_000)}y`), false);
    assert.equal(wildcardMatch(`*${'a'.repeat(50_000)}*b`, `${'a'.repeat(100_000)}b`), true);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  test('github-env: the pieces of written text', () => {
    const PIECES =
      /\$\{\{[\s\S]*?\}\}|\$env:([A-Za-z_][A-Za-z0-9_]*)|\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}|\$\(\(?|`|\$\{#?([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$[0-9@*#?!-]|%([A-Za-z_][A-Za-z0-9_]*)%/g;
    const scan = (text: string) => {
      const found: string[] = [];
      const lastFence = text.lastIndexOf('}}');
      const lastBrace = text.lastIndexOf('}');
      for (
        let piece = nextPiece(text, 0, lastFence, lastBrace);
        piece;
        piece = nextPiece(text, piece.index + piece.text.length, lastFence, lastBrace)
      )
        found.push(`${piece.index}:${piece.text}:${piece.name ?? ''}`);
      return found;
    };
    const old = (text: string) => [...text.matchAll(PIECES)].map((m) => `${m.index}:${m[0]}:${m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? ''}`);
    same(strings(['$', '{', '}', '{{', '}}', '(', '`', 'env:', 'A', '1', '#', '%', '-', ' '], 14, 14), scan, old);
    same(
      [
        '${{ a }}',
        '$env:PATH',
        '${env:X}',
        '$((1))',
        '$(date)',
        '`x`',
        '${#A}',
        '${A:-b}',
        '$A_b',
        '$1',
        '$@',
        '%PATH%',
        '${{',
        '${A',
        '$env:',
        '${env:A',
      ],
      scan,
      old,
    );
  });

  test('github-env: variables validated against an anchored pattern', () => {
    const names = ['A', 'B', 'AB', 'A_1'];
    const old = (script: string) =>
      new Set(names.filter((name) => new RegExp(`\\$\\{?${name}\\}?"?\\s*(=~|-match)\\s*['"]?\\^`).test(script)));
    const scripts = strings(['$', '{', '}', '"', "'", ' ', '=~', '-match', '^', 'A', 'B', '_1', 'x'], 15, 10);
    same(scripts, (t) => new Set([...validatedNames(t)].filter((name) => names.includes(name))), old);
    assert.ok(validatedNames('[[ "$VERSION" =~ ^[0-9.]+$ ]]').has('VERSION'));
    assert.ok(validatedNames("if ($env:X -match '^v') {}").size === 0, 'PowerShell $env: is not $X');
    assert.ok(validatedNames("if (${X} -match '^v') {}").has('X'));
  });
});
