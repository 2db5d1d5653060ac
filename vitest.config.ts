import { readdirSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { defineConfig } from 'vitest/config';
import { leaveOutMachineCertificates } from './test/helpers/machine-certificates';
import { SpreadWaits } from './test/setup/spread-waits';

/**
 * Three layers, one command (`npm test` runs them all). A test file's name says its layer:
 * - `name.test.ts` (or .tsx): unit. In-process only: the store on SQLite, rules, formats, operations (through
 *   `dispatch`, or the whole CLI through `wgInProcess` of test/helpers/wg-cli.ts, which parses, runs and prints
 *   exactly as the `wg` bin does), the renderer in happy-dom against a real project (test/renderer/support/workgraph.ts).
 *   A child process there fails at once (test/setup/no-processes.ts). `npm run test:unit`, the quick check for a
 *   small change. The store's tests run again on PostgreSQL in the `postgres` project, with the integration layer.
 * - `name.process.test.ts` (or .tsx): integration. Tests that need real processes because the process is the point: a
 *   `wg` process's start, exit code, pipes and signals, the daemon, git, agents calling `wg`, the real agent CLIs
 *   against scripted models, processes at once.
 * - `name.browser.test.ts`: browser. The renderer in Debian's Chromium through playwright-core.
 * To choose: a new test is a unit test unless it must start a process (then .process) or a browser (.browser).
 * A file that spends most of its time waiting in real time (a lease running out) says `@waits` in a comment: the run
 * spreads those files out among the others (test/setup/spread-waits.ts).
 * A test of what an operation does is a unit test, even when it was written as a `wg` command line.
 * The folder says what a test is about, never its layer.
 */
const TEST_FILES = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .map((file) => `test/${file.split(sep).join('/')}`)
  .filter((file) => /\.test\.tsx?$/.test(file))
  .sort();
const BROWSER = TEST_FILES.filter((file) => file.endsWith('.browser.test.ts'));
const PROCESSES = TEST_FILES.filter((file) => /\.process\.test\.tsx?$/.test(file));
const UNIT = TEST_FILES.filter((file) => !BROWSER.includes(file) && !PROCESSES.includes(file));

/**
 * Unit files that mock a module (vi.mock) need every module loaded afresh, so each runs in its own process
 * (the `unit-mocks` project); the rest of the unit layer runs file after file in each worker (see below).
 */
const MOCKS_MODULES = UNIT.filter((file) => readFileSync(file, 'utf8').includes('vi.mock('));

/**
 * Unit files whose tests run on each store (STORE_KINDS of test/helpers/temp-store.ts): on SQLite in the unit layer, and
 * again on PostgreSQL in the `postgres` project, an integration project (its server is a process). In the unit layer
 * the PostgreSQL half took 132 of its 471 test-seconds (one run, load 20). The few tests of these files that are
 * about neither store run in both (14 tests, about a second).
 */
const ON_EACH_STORE = UNIT.filter((file) => readFileSync(file, 'utf8').includes('STORE_KINDS'));

/**
 * Without the machine's NODE_EXTRA_CA_CERTS, which Node 20 parses at every start (test/helpers/machine-certificates.ts):
 * 31 ms of CPU for each of the suite's Node processes (1,686 `wg` starts alone, counted in one run, besides daemons,
 * agent wrappers and test servers). No test talks to anything but 127.0.0.1; the one test that trusts a certificate
 * this way passes its own (test/connecting/remote-host.test.ts). Every worker and every process a test starts
 * inherits this environment.
 */
leaveOutMachineCertificates();

const shared = {
  environment: 'node',
  pool: 'forks',
  // Hang guards, not figures: the same suite ran three times slower on one CI machine than on another, and a test
  // that takes 50 s there takes 15 s here. A test's own timeout is more only where it waits longer on purpose.
  testTimeout: 120_000,
  hookTimeout: 120_000,
  // expect.poll's 1 s default is a figure, not a hang guard: on a loaded 2-core CI machine a
  // window test's focus check failed at 1 s that passed alone. Nothing asserts on time.
  expect: { poll: { timeout: 15_000 } },
} as const;

export default defineConfig({
  test: {
    // Vitest runs one file at a time on a 2-core machine (cores - 1), but most integration files spend their
    // time waiting on the processes they start (wg, the daemon, git, agent CLIs, Chromium), and the `@waits` files
    // on leases running out. With those spread out (SpreadWaits), six workers keep both cores busy all through the
    // run: the suite's files took 352 s with six, against 410 s with four in Vitest's own order (no Vitest cache,
    // as CI; with its cache of durations, 350 against 447 s). More workers cost CPU of their own (each imports
    // the modules again): eight gave no more. Nothing asserts on time, and every test has its own folders and ports.
    // On a machine three times slower (one CI run took 1,694 s; the same tree here 1,594 s with six) six workers
    // kept a load of 14-19 on the two cores, and a different few timing-bound tests failed each run: four, there.
    // The layers run in two groups, one after the other (`sequence.groupOrder` below). Four workers left the cores
    // idle for 40% of the integration layer's 350 s (vmstat, one run), while the unit and browser layers kept them
    // busy (idle 0-4%). So the files that wait (the integration layer, and the store's tests on PostgreSQL, which
    // wait on its server) run first, six at once, and the others four: the whole run took 568 s against 664 and
    // 671 s with four everywhere, and 602 s with the integration layer alone six at once (one run each, no cache).
    // Since, that first group runs nine at once: alone (`--project integration --project postgres`, quiet, one run
    // each) it took 252 s with six (273 CPU-seconds: the cores still idle almost half of it), 214 s with nine (287)
    // and 211 s with twelve (320), none failing; nine, where more gave nothing but CPU.
    maxWorkers: 4,
    sequence: { sequencer: SpreadWaits },
    // Keeps the modules Vite transformed (TypeScript, JSX) on disk for the next run, keyed by each file's content and
    // the config. The unit layer's main process took 32-34 CPU-seconds a run without it, 18 with it (one run after the
    // other, load 8-12): transforming is most of that process's work, and a person's quick check runs the same files
    // again and again. A run without the cache (CI, a fresh clone) writes it and costs the same as before. It lives in
    // node_modules/.experimental-vitest-cache, so reinstalling the packages starts it afresh; `vitest --clearCache`.
    experimental: { fsModuleCache: true },
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          sequence: { groupOrder: 1 },
          globalSetup: ['test/setup/run-tmpdir.ts'],
          include: UNIT.filter((file) => !MOCKS_MODULES.includes(file)),
          env: { WG_TEST_STORES: 'sqlite' },
          // File after file in each worker, not a process per file (as the integration layer): none of these
          // files mocks a module, what one changes in process.env is put back, and each test opens the window afresh
          // (test/setup/fresh-window.ts).
          isolate: false,
          setupFiles: [
            'test/setup/dom-timeouts.ts',
            'test/setup/fresh-window.ts',
            'test/renderer/support/fresh-layouts.ts',
            'test/setup/no-processes.ts',
            'test/setup/own-environment.ts',
            'test/setup/profile-files.ts',
          ],
        },
      },
      {
        test: {
          ...shared,
          name: 'unit-mocks',
          sequence: { groupOrder: 1 },
          globalSetup: ['test/setup/run-tmpdir.ts'],
          include: MOCKS_MODULES,
          env: { WG_TEST_STORES: 'sqlite' },
          setupFiles: [
            'test/setup/dom-timeouts.ts',
            'test/setup/fresh-window.ts',
            'test/setup/no-processes.ts',
            'test/setup/profile-files.ts',
          ],
        },
      },
      {
        test: {
          ...shared,
          name: 'integration',
          include: PROCESSES,
          // First, with the store's tests on PostgreSQL (see maxWorkers above): files that wait, nine at once.
          sequence: { groupOrder: 0 },
          maxWorkers: 9,
          globalSetup: ['test/setup/run-tmpdir.ts', 'test/setup/pg-template.ts'],
          // A worker runs file after file instead of a new process for each: each file paid a process start and
          // imported its modules again (the integration layer took 211 s isolated, 179 s not, the same files
          // one run after the other on a quiet machine). Its files mock no module; what they change in
          // process.env is put back after each one (own-environment.ts).
          isolate: false,
          setupFiles: [
            'test/setup/dom-timeouts.ts',
            'test/setup/fresh-window.ts',
            'test/setup/own-environment.ts',
            'test/setup/profile-files.ts',
          ],
        },
      },
      {
        test: {
          ...shared,
          name: 'postgres',
          // With the integration layer (see maxWorkers above): its files wait on the server as those wait on their processes.
          sequence: { groupOrder: 0 },
          maxWorkers: 9,
          include: ON_EACH_STORE,
          globalSetup: ['test/setup/run-tmpdir.ts', 'test/setup/pg-template.ts'],
          env: { WG_TEST_STORES: 'postgres' },
          isolate: false,
          setupFiles: [
            'test/setup/dom-timeouts.ts',
            'test/setup/fresh-window.ts',
            'test/setup/own-environment.ts',
            'test/setup/profile-files.ts',
          ],
        },
      },
      {
        test: {
          ...shared,
          name: 'browser',
          sequence: { groupOrder: 1 },
          globalSetup: ['test/setup/run-tmpdir.ts'],
          include: BROWSER,
          // File after file in each worker, as the other layers: each file had imported playwright and the test
          // servers again in a process of its own (the layer took 193 CPU-seconds and 98 s isolated, 182 and 92 s
          // not, one run after the other). Each file launches its own Chromium and servers, and closes them.
          isolate: false,
          setupFiles: [
            'test/setup/dom-timeouts.ts',
            'test/setup/fresh-window.ts',
            'test/setup/own-environment.ts',
            'test/setup/profile-files.ts',
          ],
        },
      },
    ],
  },
});
