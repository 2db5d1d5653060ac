/** `wg endpoints list`'s items, in upstream's `--json` fields: the key masked, never whole. */
export interface EndpointShown {
  name: string;
  provider: string;
  url: string;
  model: string | null;
  api_key: string;
  key_env: string | null;
  key_source: string;
  key_present: boolean;
  is_default: boolean;
}

/** `wg endpoints test`: what the endpoint's models URL answered; `ok` false (and `refusal`) when nothing answered. */
export interface EndpointTested {
  name: string;
  url: string;
  ok: boolean;
  status: number | null;
  reason: string | null;
  connectivity: string | null;
  authentication: string | null;
  response: string | null;
  refusal?: string;
}

/** `wg key check` and `wg key list`'s items, upstream's fields: where the key comes from and whether it is there. */
export interface KeyStatus {
  provider: string;
  name?: string;
  source?: string;
  status: string;
  error?: string;
  /** OpenRouter's answer about the key (`wg key check openrouter`), as upstream prints it. */
  credits?: Record<string, unknown>;
  /** Why a live check of an OpenRouter key failed (upstream's "validation failed (HTTP 401)"). */
  validation_error?: string;
  /** An env var the endpoint names, for the hint of a missing key. */
  key_env?: string | null;
}
