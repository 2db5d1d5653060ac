/**
 * Secrets this app hands out, by their shape: agent tokens (`wga_`), run credentials (`wgr_`), an
 * agent daemon's instance proof (`wgi_`) and a remote job's relay token (`wgj_`). No log line may
 * carry one (issue 27 item 4): whatever prints a protocol frame or an error passes it through here.
 */
const SECRET = /\b(wg[arij])_[\w.-]+/g;

/** The text with every secret cut to its kind: `wga_…` stays readable as "an agent token was here". */
export function redactSecrets(text: string): string {
  return text.replace(SECRET, (_whole, kind: string) => `${kind}_…`);
}
