import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import log from 'electron-log/node';
import type { EngineLog } from '../engine-log';
import { refuseSymlink, replaceFile } from '../files/no-follow';
import { plainText } from '../text/plain-text';

export interface RecentError {
  timestamp: string;
  message: string;
}

export interface ServiceLog extends EngineLog {
  recentErrors(): RecentError[];
}

const MAX_SIZE = 10 * 1024 * 1024;
const KEEP_ERRORS = 20;

/** Where the last errors are kept, beside the log, so `wg service status` still shows them after a restart. */
const recentErrorsFile = (logFile: string) => join(dirname(logFile), 'recent-errors.json');

/** The errors a coordinator of this project remembered (none if the file is missing or unreadable). */
export function readRecentErrors(logFile: string): RecentError[] {
  try {
    const value = JSON.parse(readFileSync(recentErrorsFile(logFile), 'utf8')) as unknown;
    if (!Array.isArray(value)) return [];
    return value
      .filter(
        (e): e is RecentError => typeof e === 'object' && e !== null && typeof e.timestamp === 'string' && typeof e.message === 'string',
      )
      .slice(-KEEP_ERRORS);
  } catch {
    return [];
  }
}

/**
 * The coordinator's log: `.workgraph/service/daemon.log`, rotated at 10 MB (one `.old.log` kept).
 * Warnings and errors are also remembered (the last 20, in recent-errors.json) for `wg service status`.
 */
export function createServiceLog(file: string, options: { console?: boolean } = {}): ServiceLog {
  // The logger opens the file by name, following links: refuse one planted at its name first.
  refuseSymlink(file);
  // One logger per log file, so several projects in one process (the app, tests) never mix.
  const logger = log.create({ logId: `wg-${createHash('sha1').update(file).digest('hex').slice(0, 12)}` });
  logger.transports.file.setAppName('workgraph');
  logger.transports.file.resolvePathFn = () => file;
  logger.transports.file.maxSize = MAX_SIZE;
  logger.transports.file.level = 'info';
  // Each line is in the file when the call returns: a coordinator that exits at once (taken over, stopped,
  // crashed) loses none of what it said last, which batched writes did.
  logger.transports.file.sync = true;
  logger.transports.console.level = options.console ? 'info' : false;
  // Warnings and errors are rare: also kept beside the log, for `wg service status` after a restart.
  const recent: RecentError[] = readRecentErrors(file);
  const remember = (message: string) => {
    recent.push({ timestamp: new Date().toISOString(), message });
    if (recent.length > KEEP_ERRORS) recent.shift();
    try {
      replaceFile(recentErrorsFile(file), `${JSON.stringify(recent)}\n`, { mode: 0o600 });
    } catch {
      // The log file has them too; status only loses its copy.
    }
  };
  // Lines carry what others chose (a run's stderr, an agent daemon's host name): shown as text, never
  // obeyed by the terminal a person reads the log in (`tail -f`, `wg service status`).
  return {
    info: (message) => logger.info(plainText(message)),
    warn: (message) => {
      remember(plainText(message));
      logger.warn(plainText(message));
    },
    error: (message) => {
      remember(plainText(message));
      logger.error(plainText(message));
    },
    recentErrors: () => [...recent],
  };
}
