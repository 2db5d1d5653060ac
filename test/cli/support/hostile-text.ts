/** Text that would steer a terminal, for the tests that check none of it reaches one. */

// Anything that steers a terminal: C0 controls but newline and tab, DEL, C1 (U+009B is a CSI), bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the tests check that no control character reaches a terminal
export const STEERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// A window title (OSC 0), a screen clear (CSI 2J), a hyperlink (OSC 8), a bell, a carriage return and a C1 CSI.
export const HOSTILE =
  'Fix \u001b]0;pwned\u0007the \u001b[2Jbug \u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\\r \u009b31m\u0008now\u202e';
