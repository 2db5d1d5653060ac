import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { conflict, invalid, notFound } from '../../shared/errors';
import type { AgentTokenInfo, CreatedAgentToken, PersonCaller, TokenHolder, TokenKind } from '../../shared/agent-daemon-types';
import type { StoreCore } from './store-core';

/** A token starts with its kind's prefix, so a leaked one is recognisable (and scanners can look for it). */
const PREFIX: Readonly<Record<TokenKind, string>> = { agent: 'wga_', person: 'wgp_', admin: 'wgp_' };

/**
 * How often a person's use is noted (`last used` in `wg token list`): every request is checked against
 * the store, but a note is a commit every window hears of, so it is written at most this often.
 */
const PERSON_USE_NOTE_MS = 60_000;

interface TokenRow {
  name: string;
  kind: TokenKind;
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
    kind: row.kind,
    last4: row.last4,
    roles: JSON.parse(row.roles) as string[],
    repos: JSON.parse(row.repos) as string[],
    created_at: row.created_at,
    revoked_at: row.revoked_at,
    last_used_at: row.last_used_at,
  };
}

/**
 * Agent daemons' and people's tokens in the store: only a SHA-256 of each and its last four characters
 * are kept. A token is 32 random bytes, so a plain hash is enough (no guessing to slow down), and the
 * lookup by hash compares no secret byte by byte.
 */
export class TokenStore {
  constructor(private readonly core: StoreCore) {}

  async create(input: { name: string; roles?: string[]; repos?: string[]; person?: boolean; admin?: boolean }): Promise<CreatedAgentToken> {
    const kind: TokenKind = input.admin ? 'admin' : input.person ? 'person' : 'agent';
    if (kind !== 'agent' && (input.roles?.length || input.repos?.length)) {
      throw invalid("--roles and --repos scope an agent daemon's token; a person's token has neither");
    }
    const token = `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
    const info = await this.core.write(async () => {
      const before = await this.find(input.name);
      if (before && !before.revoked_at) {
        throw conflict(`a token named '${input.name}' exists already (revoke it first, or pick another name)`);
      }
      // The name is who acts in the log and who sends messages: `Alice` beside `alice` would read as one person.
      const twin = await this.core.get(
        this.core.build
          .selectFrom('agent_tokens')
          .select('name')
          .where(sql<string>`lower(${sql.ref('name')})`, '=', sql<string>`lower(${input.name})`)
          .where('name', '<>', input.name),
      );
      if (twin) {
        throw conflict(
          `a token named '${twin.name}' exists already, and '${input.name}' differs from it only in case, so both would read as one name in the log and messages: use '${twin.name}' (revoke it first) or another name`,
        );
      }
      const fields = {
        kind,
        hash: hashOf(token),
        last4: token.slice(-4),
        roles: JSON.stringify(unique(input.roles)),
        repos: JSON.stringify(unique(input.repos)),
      };
      if (before) {
        // A revoked name is issued again (a lost laptop): the name stays the actor of its log lines, and the
        // revoked token, whose hash is replaced, opens nothing. Its issue time differs from the revoked one's, which
        // is how the revoked token's open connections are told from the new one's (stale()).
        await this.core.send(
          this.core.build
            .updateTable('agent_tokens')
            .set({ ...fields, created_at: this.issueTime(before.created_at), revoked_at: null, last_used_at: null })
            .where('name', '=', input.name),
        );
      } else {
        await this.core.send(
          this.core.build.insertInto('agent_tokens').values({ ...fields, created_at: this.core.nowIso(), name: input.name }),
        );
      }
      return this.get(input.name);
    });
    return { ...info, token };
  }

  async list(): Promise<AgentTokenInfo[]> {
    return (await this.core.all(this.rows().orderBy('created_at').orderBy('name'))).map(toInfo);
  }

  async get(name: string): Promise<AgentTokenInfo> {
    const found = await this.find(name);
    if (!found) throw notFound('token', name);
    return found;
  }

  async revoke(name: string): Promise<AgentTokenInfo> {
    return this.core.write(async () => {
      const token = await this.get(name);
      if (token.revoked_at) return token;
      await this.core.send(this.core.build.updateTable('agent_tokens').set({ revoked_at: this.core.nowIso() }).where('name', '=', name));
      return this.get(name);
    });
  }

  /** An agent daemon's token: its record if it is known and not revoked (and its use is noted), else why not. */
  async authenticate(token: string): Promise<{ ok: true; token: AgentTokenInfo } | { ok: false; reason: string }> {
    const row = await this.core.get(this.rows().where('hash', '=', hashOf(token)));
    if (!row) return { ok: false, reason: 'unknown agent token' };
    if (row.kind !== 'agent') return { ok: false, reason: `'${row.name}' is a person's token; an agent daemon needs an agent token` };
    if (row.revoked_at) return { ok: false, reason: `agent token '${row.name}' was revoked` };
    await this.core.write(() => this.core.run(this.used(row.name, this.core.nowIso())));
    return { ok: true, token: toInfo({ ...row, last_used_at: this.core.nowIso() }) };
  }

  /**
   * A person's token: who it is, if it is known, a person's and not revoked, else null (`hash` matches no
   * token: not one of these) or why it is refused. Looked up on every request, so a revoke takes effect on
   * the next one.
   */
  async person(token: string): Promise<{ ok: true; caller: PersonCaller; issued: string } | { ok: false; reason: string } | null> {
    const row = await this.core.get(this.rows().where('hash', '=', hashOf(token)));
    if (!row) return null;
    if (row.kind === 'agent') {
      return { ok: false, reason: `'${row.name}' is an agent daemon's token; a person needs one made with wg token create NAME --person` };
    }
    if (row.revoked_at) return { ok: false, reason: `token '${row.name}' was revoked` };
    const now = this.core.nowIso();
    if (row.last_used_at === null || Date.parse(now) - Date.parse(row.last_used_at) >= PERSON_USE_NOTE_MS) {
      await this.core.write(() => this.core.run(this.used(row.name, now)));
    }
    return { ok: true, caller: { name: row.name, admin: row.kind === 'admin' }, issued: row.created_at };
  }

  /** The holders (the same objects) among `holders` whose token is revoked, gone or issued again since (their connections must close). */
  async stale(holders: readonly TokenHolder[]): Promise<TokenHolder[]> {
    if (holders.length === 0) return [];
    const live = new Set(
      (
        await this.core.all(
          this.core.build
            .selectFrom('agent_tokens')
            .select(['name', 'created_at'])
            .where('revoked_at', 'is', null)
            .where(this.core.fn.inList(sql.ref('name'), [...new Set(holders.map((holder) => holder.name))])),
        )
      ).map((row) => holderKey({ name: row.name, issued: row.created_at })),
    );
    return holders.filter((holder) => !live.has(holderKey(holder)));
  }

  /** Now, or just after the revoked token's issue time should both fall in one millisecond: the two must differ. */
  private issueTime(revokedIssue: string): string {
    const now = this.core.nowIso();
    return Date.parse(now) > Date.parse(revokedIssue) ? now : new Date(Date.parse(revokedIssue) + 1).toISOString();
  }

  private async find(name: string): Promise<AgentTokenInfo | undefined> {
    const row = await this.core.get(this.rows().where('name', '=', name));
    return row ? toInfo(row) : undefined;
  }

  /** Every column of the tokens (`SELECT *`), typed as a token's row. */
  private rows() {
    return this.core.build.selectFrom('agent_tokens').selectAll().$castTo<TokenRow>();
  }

  /** Notes a token's use. */
  private used(name: string, at: string) {
    return this.core.build.updateTable('agent_tokens').set({ last_used_at: at }).where('name', '=', name);
  }
}

/** One holder as a key: its name and its token's issue time. */
const holderKey = (holder: TokenHolder) => `${holder.name}\n${holder.issued}`;

const unique = (items: readonly string[] | undefined) => [...new Set(items ?? [])];
