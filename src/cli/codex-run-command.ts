import { existsSync, mkdirSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Command } from 'commander';
import { appVersion } from '../core/app-version';
import { inboxMarker } from '../core/messages/delivery-hooks';
import { takeInboxMarker } from '../core/messages/inbox-marker';
import { locateProject } from '../core/project';
import { jsonText } from '../core/text/plain-text';
import { invalid } from '../shared/errors';
import type { CliIo } from './cli-io';
import { deliveryText } from './msg-hook-command';
import { runOp, type GlobalOptions } from './run-op';

interface CodexRunOptions {
  model?: string;
  resume?: string;
}

/**
 * `wg codex-run [--model ID] [--resume SESSION] -- CODEX [APP-SERVER OPTIONS…]`: what a codex run's command is
 * (executors/codex.ts). Inside the run (WG_TASK_ID, WG_AGENT_ID), with the prompt on stdin, it runs codex through
 * its app server and holds it for the run's life (executors/codex-app-server/codex-run.ts): its output is
 * `codex exec --json`'s, its exit status the turn's, and the task's messages reach the model as they are sent.
 * A message is noticed by the marker `wg msg send` leaves (messages/delivery-hooks.ts), watched, not polled.
 */
export function registerCodexRun(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  program
    .command('codex-run')
    .description(
      "run codex for an agent run through its app server, handing it the task's messages as they are sent (a codex run's command)",
    )
    .option('--model <id>', 'the model codex uses (default: its own config)')
    .option('--resume <session>', 'the codex session (thread) a retried run goes on with')
    .argument('<codex>', 'the codex program')
    .argument('[app-server-options...]', 'options of codex app-server (after --)')
    .action(async (codex: string, options: string[], flags: CodexRunOptions) => {
      const task = process.env.WG_TASK_ID;
      if (!task || !process.env.WG_AGENT_ID) throw invalid('wg codex-run runs inside an agent run (WG_TASK_ID and WG_AGENT_ID)');
      const { serviceDir } = locateProject({ dir: globals().dir });
      const marker = inboxMarker(serviceDir, task);
      const { runCodexAppServer } = await import('../core/executors/codex-app-server/codex-run');
      io.exitCode = await runCodexAppServer({
        program: codex,
        options,
        model: flags.model ?? null,
        resume: flags.resume ?? null,
        prompt: io.readStdin(),
        cwd: process.cwd(),
        version: appVersion(),
        out: (line) => io.stdout.write(`${jsonText(line)}\n`),
        err: (text) => io.stderr.write(`wg codex-run: ${text}\n`),
        takeMessages: async () => {
          takeInboxMarker(serviceDir, task);
          const unread = await runOp('msg:read', { task }, globals(), io);
          return unread.length === 0 ? null : deliveryText(task, unread, process.env.WG_BIN || 'wg');
        },
        watchMessages: (wake) => watchMarker(marker, wake),
      });
    });
}

/** Calls `wake` each time the marker appears (and at once if it is there already); returns what stops watching. */
function watchMarker(marker: string, wake: () => void): () => void {
  mkdirSync(dirname(marker), { recursive: true });
  const watcher = watch(dirname(marker), (_event, name) => {
    if (name === basename(marker) && existsSync(marker)) wake();
  });
  if (existsSync(marker)) wake();
  return () => watcher.close();
}
