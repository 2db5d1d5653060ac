/** Where the coordinator's API is reached: known once it listens, asked for by what was built before (its runs, the status). */
export class ApiAddress {
  /** The server's base URL, once it listens: agents get it (WG_API_URL). */
  baseUrl: string | null = null;
  /** Browser-mode URL with the token in the fragment. */
  url = '';
  /** HOST:PORT the API listens on, once it does (`wg service status` shows it in force). */
  listen = '';

  constructor(readonly token: string) {}

  /** What an agent is given to reach it (EngineOptions.api). */
  forAgents(): { url: string | null; token: string } {
    return { url: this.baseUrl, token: this.token };
  }
}
