import { describe, expect, it } from 'vitest';
import { mergedPath, pathBetweenMarks } from '../../../src/main/login-path/login-shell-path';

describe('the login shell PATH, read and merged', () => {
  it('takes only what stands between the marks, colours stripped', () => {
    expect(pathBetweenMarks('hello\n__WG_LOGIN_PATH__/a:/b__WG_LOGIN_PATH__bye')).toBe('/a:/b');
    expect(pathBetweenMarks('\u001b[32m__WG_LOGIN_PATH__/a\u001b[0m:/b__WG_LOGIN_PATH__')).toBe('/a:/b');
    expect(pathBetweenMarks('no marks at all')).toBeNull();
    expect(pathBetweenMarks('__WG_LOGIN_PATH__ cut short')).toBeNull();
    expect(pathBetweenMarks('__WG_LOGIN_PATH____WG_LOGIN_PATH__')).toBeNull();
  });

  it("puts the shell's PATH first and keeps what only the app had, each folder once", () => {
    expect(mergedPath('/opt/homebrew/bin:/usr/bin:/bin', '/usr/bin:/bin:/usr/sbin:/sbin')).toBe(
      '/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin',
    );
    expect(mergedPath('/a::/b', undefined)).toBe('/a:/b');
  });
});
