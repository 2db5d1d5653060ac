/**
 * A plan served in browser mode by the coordinator of another checkout (a tool, not a test; started
 * by first-paint-ab.ts with BASE_TREE): that checkout's own server code and its window build, so an
 * A/B measures what the server sends too. Prints one line, `{"origin","token"}`, once it listens;
 * closes when its stdin ends.
 *
 *   TREE=<checkout, built> SHAPE=dag|big COUNT=10000 npx tsx test/bench/ui/serve-plan.ts
 */
import { resolve } from 'node:path';

async function main(): Promise<void> {
  const tree = resolve(process.env.TREE ?? '.');
  const count = Number(process.env.COUNT ?? 2000);
  // That checkout's modules, not this one's: its store, its API, its fixtures.
  const { startTestServer } = (await import(`${tree}/test/ui/test-server.ts`)) as typeof import('../../ui/test-server');
  const { bigGraph, connectedDag } = (await import(`${tree}/test/bench/ui/big-graph.ts`)) as typeof import('./big-graph');
  const { makeAgent } = (await import(`${tree}/test/renderer/support/fixtures.ts`)) as typeof import('../../renderer/support/fixtures');
  const server = await startTestServer(
    {
      tasks: process.env.SHAPE === 'dag' ? connectedDag(count) : bigGraph(count),
      agents: [makeAgent({ id: 'agent-big', task_id: 't12', started_at: new Date().toISOString() })],
    },
    `${tree}/out/renderer`,
  );
  console.log(JSON.stringify({ origin: server.origin, token: server.token }));
  process.stdin.resume();
  process.stdin.on('end', () => {
    void server.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
