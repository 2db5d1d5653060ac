/** Where `wg secret` keeps a secret (upstream's backends). */
export type SecretBackend = 'keyring' | 'keystore' | 'plaintext';

/** `wg secret get`: whether the secret is there, masked; its value only when `--reveal` asked for it. */
export interface SecretShown {
  name: string;
  backend: SecretBackend;
  found: boolean;
  masked: string | null;
  value?: string;
}
