import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';

/** A store URL as a person types it: what libpq reads is taken, and a slip is said rather than dropped. */
describe('a store URL', () => {
  it("takes libpq's parameters and schema=", () => {
    const target = parseStoreUrl('postgresql://wg@/wg?host=/run/postgresql&sslmode=disable&application_name=x&schema=shop');
    expect(target).toMatchObject({
      schema: 'shop',
      connectionString: 'postgresql://wg@/wg?host=/run/postgresql&sslmode=disable&application_name=x',
    });
    expect(parseStoreUrl('postgres://db.example/wg').schema).toBe('workgraph');
  });

  it("refuses a parameter nothing reads (a slip for schema= would open the default schema, maybe another team's graph)", () => {
    for (const slip of ['Schema=blog', 'schem=blog', 'bogus=1']) {
      const key = slip.split('=')[0];
      expect(() => parseStoreUrl(`postgresql:///wg?host=/tmp&${slip}`)).toThrow(
        `the store URL's '${key}' is no parameter libpq reads (the project's schema is named by schema=NAME, in lower case)`,
      );
    }
  });

  // Review finding 7: sslmode=bogus was read as SSL wanted, and said "the server does not accept SSL".
  it('names an sslmode value nothing reads', () => {
    expect(() => parseStoreUrl('postgresql://wg@/wg?host=/tmp&sslmode=bogus')).toThrow(
      "the store URL's sslmode 'bogus' is not one of disable, allow, prefer, require, verify-ca, verify-full or no-verify",
    );
    for (const mode of ['disable', 'prefer', 'require', 'verify-full', 'no-verify']) {
      expect(parseStoreUrl(`postgresql://wg@/wg?host=/tmp&sslmode=${mode}`).schema).toBe('workgraph');
    }
  });
});
