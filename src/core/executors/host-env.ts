/**
 * The coordinator's own environment, passed in rather than read inside the builders so they stay
 * pure (tests hand in `{ WG_CLAUDE_BIN: … }`; production passes `process.env`).
 */
export type HostEnv = Readonly<Record<string, string | undefined>>;

/** `override` when set and non-empty in the host environment, else `fallback`. */
export function commandFrom(hostEnv: HostEnv, override: string, fallback: string): string {
  const value = hostEnv[override]?.trim();
  return value ? value : fallback;
}
