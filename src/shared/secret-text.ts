/**
 * Secrets this app hands out, by their shape: agent tokens (`wga_`), people's tokens (`wgp_`), run
 * credentials (`wgr_`), an agent daemon's instance proof (`wgi_`) and a remote job's relay token
 * (`wgj_`). No log line may carry one: whatever prints a protocol frame or an error passes it through here.
 */
const SECRET = /\b(wg[aprij])_[\w.-]+/g;

/** The text with every secret cut to its kind: `wga_…` stays readable as "an agent token was here". */
export function redactSecrets(text: string): string {
  return text.replace(SECRET, (_whole, kind: string) => `${kind}_…`);
}
