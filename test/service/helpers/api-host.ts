import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProjectHost, type ProjectHost } from '../../../src/core/host';
import { readServiceState } from '../../../src/core/service-state/state-file';

export interface ApiHost {
  root: string;
  host: ProjectHost;
  port: number;
  token: string;
  /** Headers of an authorized JSON request to the TCP port. */
  auth(): Record<string, string>;
  close(): Promise<void>;
}

/** A project coordinated in this process (as the app does), serving the API; its tasks never start an AI agent. */
export async function openApiHost(prefix: string): Promise<ApiHost> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  process.env.WG_HOME = join(root, '.home');
  mkdirSync(join(root, '.workgraph'), { recursive: true });
  writeFileSync(join(root, '.workgraph', 'config.toml'), '[coordinator]\nexecutor = "manual"\n');
  const host = await openProjectHost(root, { createIfMissing: true });
  const state = readServiceState(host.paths);
  const port = state?.port ?? 0;
  const token = state?.url.split('#token=')[1] ?? '';
  return {
    root,
    host,
    port,
    token,
    auth: () => ({ host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' }),
    close: async () => {
      await host.close({ stopAgents: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
