/**
 * What is wrong with a token as typed or pasted, or null. A token is printable ASCII without spaces (this app's are
 * wgp_/wga_ and base64url); anything else would reach an HTTP header, which Node refuses in words of its own
 * ("Invalid character in header content"). `wg token list` shows only a token's last four after `…`: pasted, that
 * short form is said as such.
 */
export function tokenTextProblem(token: string): string | null {
  if (token.includes('…')) return 'is the short form `wg token list` shows (…abcd), not the whole token';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a token with control characters in it is refused, so they are what it looks for
  if (/[\s\0-\x1f\x7f]/.test(token)) return 'has spaces or control characters in it';
  if (/[^\x21-\x7e]/.test(token)) return 'has characters no token has (a token is letters, digits, - and _)';
  return null;
}
