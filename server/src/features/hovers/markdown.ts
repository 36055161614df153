/**
 * Untrusted text in Markdown hovers. Finding messages quote the scanned repository (a `uses:` value, an
 * input) and the dependency tree quotes files fetched from other repositories; either may hold backticks,
 * brackets, parentheses or HTML meant to become a link or an image in the hover. These helpers keep our
 * own code spans and turn everything else into text: a linear scan, no regular expression.
 */
import { escapeText } from '../../cli/escape';

/**
 * The ASCII punctuation that lets text become a link, an image, an autolink in angle brackets or HTML
 * (brackets, angle brackets), or change how the rest is read (a backslash, a backtick): each is escaped
 * with a backslash. Emphasis is only formatting, a bare `https://` autolink shows the address it goes to,
 * and line breaks are shown as the two characters backslash-n, so nothing else needs escaping.
 */
const SYNTAX = '\\`[]<>';

/** Plain text made inert: control and invisible characters shown visibly, Markdown syntax escaped. */
export function markdownEscape(text: string): string {
  let out = '';
  for (const char of escapeText(text)) out += SYNTAX.includes(char) ? `\\${char}` : char;
  return out;
}

/**
 * A message whose backtick pairs are code spans (as our messages write them): the text between them is
 * escaped, each code span holds no backtick and no control character, code spans are never adjacent (so
 * a renderer cannot pair their backticks otherwise), and an unpaired backtick is shown as text.
 */
export function markdownMessage(message: string): string {
  const segments = message.split('`');
  // An even count of segments means an odd count of backticks: the last one opens nothing.
  const unpaired = segments.length % 2 === 0 ? segments.pop() : undefined;
  // A message is a paragraph of its own in a hover: a leading `#`, `-`, `+` or `=` is text, not a heading or a list.
  let out = '#-+='.includes(message[0] ?? 'x') ? '\\' : '';
  for (let i = 0; i < segments.length; i++) {
    if (i % 2 === 0) {
      out += markdownEscape(segments[i]);
      continue;
    }
    const code = escapeText(segments[i]);
    if (code === '') continue;
    if (out.endsWith('`')) out += ' ';
    out += `\`${code}\``;
  }
  if (unpaired !== undefined) out += `\\\`${markdownEscape(unpaired)}`;
  return out;
}

/** A URL as a Markdown link target: the characters that would end or split the target percent-encoded. */
export function markdownLinkTarget(url: string): string {
  let out = '';
  for (const char of url) {
    const code = char.codePointAt(0) ?? 0;
    out +=
      char === '(' || char === ')' || char === '<' || char === '>' || char === ' ' || char === '\\' || code < 0x20 || code === 0x7f
        ? `%${code.toString(16).toUpperCase().padStart(2, '0')}`
        : char;
  }
  return out;
}
