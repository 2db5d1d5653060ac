import { tokenTextProblem } from '../../shared/token-text';
/**
 * Where a coordinator on another machine is, as a person types it: its address and a token, the
 * person's own (`wg token create NAME --person` there) or the coordinator's (`wg service status`
 * prints an address ending in `#token=…`; pasting that whole line fills in the token too).
 * Pure: every refusal is one plain sentence, and nothing is contacted.
 */
export interface CoordinatorAddress {
  /** The origin, e.g. `https://build.example.com:8787` (no path, no fragment). */
  base: string;
  token: string;
}

export type AddressCheck = { ok: true; address: CoordinatorAddress } | { ok: false; reason: string };

export function parseCoordinatorAddress(urlText: string, tokenText: string): AddressCheck {
  const text = urlText.trim();
  if (text === '') return { ok: false, reason: "Enter the coordinator's address, e.g. https://build.example.com:8787." };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, reason: `"${text}" is not a web address; enter one like https://build.example.com:8787.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `The address must start with https:// or http://, not ${url.protocol}//.` };
  }
  if (url.username || url.password) return { ok: false, reason: 'Put the token in the token field, not in the address.' };
  const fromFragment = new URLSearchParams(url.hash.replace(/^#/, '')).get('token') ?? '';
  const token = tokenText.trim() || fromFragment.trim();
  if (token === '') return { ok: false, reason: 'Enter your token (made on that machine with `wg token create NAME --person`).' };
  const problem = tokenTextProblem(token);
  if (problem) return { ok: false, reason: `The token ${problem}; paste it again.` };
  return { ok: true, address: { base: url.origin, token } };
}
