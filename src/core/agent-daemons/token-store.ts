import { createHash, randomBytes } from 'node:crypto';
import { conflict, notFound } from '../../shared/errors';
import type { AgentTokenInfo, CreatedAgentToken } from '../../shared/remote-types';
import type { StoreCore } from '../store/store-core';

/** Agent tokens start with this, so a leaked one is recognisable (and scanners can look for it). */
const AGENT_TOKEN_PREFIX = 'wga_';

interface TokenRow {
  name: string;
  hash: string;
  last4: string;
  roles: string;
  repos: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

function toInfo(row: TokenRow): AgentTokenInfo {
  return {
    name: row.name,
    last4: row.last4,
    roles: JSON.parse(row.roles) as string[],
    repos: JSON.parse(row.repos) as string[],
    created_at: row.created_at,
    revoked_at: row.revoked_at,
    last_used_at: row.last_used_at,
  };
}

/**
 * Agent tokens in the store: only a SHA-256 of each and its last four characters are kept. A token
 * is 32 random bytes, so a plain hash is enough (no guessing to slow down), and the lookup by hash
 * compares no secret byte by byte.
 */
export class TokenStore {
  constructor(private readonly core: StoreCore) {}

  create(input: { name: string; roles?: string[]; repos?: string[] }): CreatedAgentToken {
    const token = `${AGENT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const info = this.core.write(() => {
      if (this.find(input.name))
        throw conflict(`an agent token named '${input.name}' exists already (revoke it first, or pick another name)`);
      this.core
        .sql('INSERT INTO agent_tokens (name, hash, last4, roles, repos, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(
          input.name,
          hashOf(token),
          token.slice(-4),
          JSON.stringify(unique(input.roles)),
          JSON.stringify(unique(input.repos)),
          this.core.nowIso(),
        );
      return this.get(input.name);
    });
    return { ...info, token };
  }

  list(): AgentTokenInfo[] {
    return this.core.sql<TokenRow>('SELECT * FROM agent_tokens ORDER BY created_at, name').all().map(toInfo);
  }

  get(name: string): AgentTokenInfo {
    const found = this.find(name);
    if (!found) throw notFound('agent token', name);
    return found;
  }

  revoke(name: string): AgentTokenInfo {
    return this.core.write(() => {
      const token = this.get(name);
      if (token.revoked_at) return token;
      this.core.sql('UPDATE agent_tokens SET revoked_at = ? WHERE name = ?').run(this.core.nowIso(), name);
      return this.get(name);
    });
  }

  /** The token's record if it is known and not revoked (and its use is noted), else why not. */
  authenticate(token: string): { ok: true; token: AgentTokenInfo } | { ok: false; reason: string } {
    const row = this.core.sql<TokenRow>('SELECT * FROM agent_tokens WHERE hash = ?').get(hashOf(token));
    if (!row) return { ok: false, reason: 'unknown agent token' };
    if (row.revoked_at) return { ok: false, reason: `agent token '${row.name}' was revoked` };
    this.core.write(() => this.core.sql('UPDATE agent_tokens SET last_used_at = ? WHERE name = ?').run(this.core.nowIso(), row.name));
    return { ok: true, token: toInfo({ ...row, last_used_at: this.core.nowIso() }) };
  }

  /** Names among `names` whose token is revoked or gone (their connections must close). */
  invalid(names: readonly string[]): string[] {
    if (names.length === 0) return [];
    const valid = new Set(
      this.core
        .sql<{ name: string }>('SELECT name FROM agent_tokens WHERE revoked_at IS NULL AND name IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(names))
        .map((row) => row.name),
    );
    return names.filter((name) => !valid.has(name));
  }

  private find(name: string): AgentTokenInfo | undefined {
    const row = this.core.sql<TokenRow>('SELECT * FROM agent_tokens WHERE name = ?').get(name);
    return row ? toInfo(row) : undefined;
  }
}

const unique = (items: readonly string[] | undefined) => [...new Set(items ?? [])];
