import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';

/* A store URL as libpq reads it (pg-connection-string), its schema taken out and its password never shown. */

describe('parseStoreUrl', () => {
  it("reads libpq's socket form with no host before the path, keeping the rest as written", () => {
    const target = parseStoreUrl('postgresql://postgres@/wg?host=/tmp/sock&schema=team_a&sslmode=disable');
    expect(target).toEqual({
      connectionString: 'postgresql://postgres@/wg?host=/tmp/sock&sslmode=disable',
      schema: 'team_a',
      shown: 'postgresql://postgres@/wg?host=/tmp/sock&schema=team_a&sslmode=disable',
      hasPassword: false,
    });
    expect(parseStoreUrl('postgresql:///wg?host=%2Frun%2Fpostgresql')).toMatchObject({
      connectionString: 'postgresql:///wg?host=%2Frun%2Fpostgresql',
      schema: 'workgraph',
    });
  });

  it('keeps a password out of what it shows, in the user part or as password=', () => {
    for (const url of [
      'postgresql://u:secret@db.example/wg',
      'postgresql://u@/wg?host=/tmp/sock&password=secret',
      'postgres://u:secret@/wg?host=/s',
    ]) {
      const target = parseStoreUrl(url);
      expect(target.hasPassword, url).toBe(true);
      expect(target.shown, url).not.toContain('secret');
    }
  });

  it('says in one line what is wrong, without the password', () => {
    expect(() => parseStoreUrl('mysql://u:secret@h/db')).toThrow(/^'mysql:\/\/u:\*\*\*@h\/db' is not a PostgreSQL URL/);
    expect(() => parseStoreUrl('postgresql://u:secret@[broken/db')).toThrow(
      /^'postgresql:\/\/u:\*\*\*@\[broken\/db' is not a URL libpq would read/,
    );
    expect(() => parseStoreUrl('postgresql://h/db?schema=Bad-Name')).toThrow(/schema 'Bad-Name' in the store URL is not a plain name/);
  });
});
