// The worker thread of sql-session.ts: one kept `pg` connection per database, each statement's rows as psql prints them.
// Plain CommonJS: a worker thread runs it as it is, without the test run's TypeScript loader.
const { workerData } = require('node:worker_threads');
const pg = require('pg');
const flag = new Int32Array(workerData.flag);
const port = workerData.port;
const clients = new Map();
// Every value as the server's text, as psql prints it.
const asText = { getTypeParser: () => (value) => value };
async function connect(url) {
  let client = clients.get(url);
  if (client) return client;
  client = new pg.Client({ connectionString: url, types: asText, application_name: workerData.name });
  client.on('error', () => {
    if (clients.get(url) === client) clients.delete(url);
  });
  await client.connect();
  clients.set(url, client);
  return client;
}
function text(result) {
  const lines = [];
  for (const one of Array.isArray(result) ? result : [result])
    for (const row of one.rows ?? []) lines.push(row.map((value) => value ?? '').join('|'));
  return lines.length ? `${lines.join('\n')}\n` : '';
}
async function run({ url, sql }) {
  for (let attempt = 0; ; attempt++) {
    const client = await connect(url);
    try {
      const answer = text(await client.query({ text: sql, rowMode: 'array' }));
      await client.query('DISCARD ALL');
      return { ok: true, text: answer };
    } catch (error) {
      // A statement the server answered with an error (it has a SQLSTATE) is the answer; a connection it cut
      // (a restart since the last statement) is made again, once.
      if (error && typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && !error.code.startsWith('57P')) {
        await client.query('DISCARD ALL').catch(() => undefined);
        throw error;
      }
      clients.delete(url);
      client.end().catch(() => undefined);
      if (attempt > 0) throw error;
    }
  }
}
port.on('message', (request) => {
  run(request)
    .catch((error) => ({ ok: false, message: error?.message ? error.message : String(error) }))
    .then((reply) => {
      port.postMessage(reply);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
});
