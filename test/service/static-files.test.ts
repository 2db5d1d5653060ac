import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../src/core/service/http/static-files';

const root = mkdtempSync(join(tmpdir(), 'wg-static-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const res = {} as ServerResponse;

describe('browser mode without a built renderer', () => {
  it('answers 404 with a message saying how to build it', () => {
    const empty = join(root, 'renderer');
    mkdirSync(empty);
    for (const dir of [null, empty]) {
      expect(() => serveStatic(res, dir, '/')).toThrow(
        expect.objectContaining({ status: 404, message: expect.stringContaining("run 'npm run build'") }),
      );
    }
  });
});
