import { closeSync, writeSync } from 'node:fs';
import type { ServiceOverrides } from '../config/config-view';
import { READY_FD_VARIABLE, type StartFailure } from './service-start';
import type { ProjectPaths } from '../project';
import { openCoordinator, type RunningCoordinator } from './coordinator-service';
import { createServiceLog } from './service-log';
import type { ListenRequest } from '../service-state/state-file';
import type { ServiceStatus } from '../../shared/service-types';
import { errorText, WgError } from '../../shared/errors';

/** How long a stop may take before the coordinator exits anyway (below `wg service stop`'s 30 s wait). */
const STOP_DEADLINE_MS = 20_000;

/**
 * Tells `wg service start`, which started this process in the background, that the coordinator answers
 * now, with its status as one line of JSON (service-start.ts waits on that pipe, and so needs no request
 * of its own to print it). The variable goes, so the agents it starts never see it.
 */
function sayReady(status: ServiceStatus | StartFailure): void {
  const fd = Number(process.env[READY_FD_VARIABLE]);
  delete process.env[READY_FD_VARIABLE];
  if (!Number.isInteger(fd) || fd < 3) return;
  try {
    writeSync(fd, `${JSON.stringify(status)}\n`);
    closeSync(fd);
  } catch {
    // The starter has gone (killed, or gave up): nobody is waiting.
  }
}

/**
 * Why the coordinator could not start, said on the same pipe: its stderr goes to daemon.out, which a full disk
 * leaves empty, and `wg service start` then said only "exited at once (code 1)".
 */
async function sayFailed(error: unknown): Promise<void> {
  const { plainFailure } = await import('../../shared/plain-failure');
  sayReady({ error: error instanceof WgError ? error.message : (plainFailure(error) ?? errorText(error)) });
}

/**
 * `wg service start --foreground`: this process becomes the project's coordinator until it is
 * told to stop (SIGTERM/SIGINT or `wg service stop`). Agents run in their own process groups and
 * keep running when it stops, unless asked to kill them. SIGHUP re-reads the configuration.
 */
export async function runDaemon(paths: ProjectPaths, overrides: ServiceOverrides, listen?: ListenRequest): Promise<RunningCoordinator> {
  const log = createServiceLog(paths.daemonLog, { console: process.stdout.isTTY === true });
  let coordinator: RunningCoordinator | null = null;
  let exiting = false;
  const shutdown = (options: { killAgents: boolean }, signal?: NodeJS.Signals) => {
    if (exiting) {
      // Told twice: whatever the first stop waits for, this one does not.
      if (signal) {
        log.warn(`${signal} again while stopping: exiting now`);
        setTimeout(() => process.exit(1), 50);
      }
      return;
    }
    exiting = true;
    // A stop that hangs (a peer that never completes its closing handshake, a stuck git) must not keep
    // the coordinator up: it is gone within STOP_DEADLINE_MS whatever it waits for. Its agents are
    // adopted (or their death noticed) by the next coordinator, as after a crash.
    setTimeout(() => {
      log.error(`stopping took longer than ${STOP_DEADLINE_MS / 1000} s: exiting without finishing`);
      setTimeout(() => process.exit(1), 50);
    }, STOP_DEADLINE_MS).unref();
    const done = coordinator ? coordinator.close(options) : Promise.resolve();
    done
      .catch((error: unknown) => log.error(`stopping: ${String(error)}`))
      // A moment for the log file to be written out.
      .finally(() => setTimeout(() => process.exit(0), 50));
  };
  try {
    coordinator = await openCoordinator({ paths, host: 'daemon', overrides, log, onShutdown: shutdown, listen });
  } catch (error) {
    await sayFailed(error);
    throw error;
  }
  const running = coordinator;
  sayReady(await running.control.status());
  process.on('SIGTERM', () => shutdown({ killAgents: false }, 'SIGTERM'));
  process.on('SIGINT', () => shutdown({ killAgents: false }, 'SIGINT'));
  process.on('SIGHUP', () => {
    running.engine.reload({}).catch((error: unknown) => log.error(`reload on SIGHUP: ${errorText(error)}`));
  });
  process.on('uncaughtException', (error) => {
    // A team's database restarting, met where nothing caught it (a rejection no one handled comes here too): nothing
    // of that work was written, and the database is waited out like any other outage. Exiting took every coordinator
    // of a team down with one restart of its server.
    if (running.outage.noted(error)) {
      log.error(
        `a lost connection to the database reached no handler of its own (the coordinator stays up): ${error.stack ?? error.message}`,
      );
      return;
    }
    // Agents survive this; the next coordinator adopts them. Staying up in an unknown state would not be safer.
    log.error(`uncaught: ${error.stack ?? error.message}`);
    setTimeout(() => process.exit(1), 50);
  });
  return running;
}
