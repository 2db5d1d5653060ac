import { createHash } from 'node:crypto';
import log from 'electron-log/node';
import type { EngineLog } from '../coordinator/engine';

export interface RecentError {
  timestamp: string;
  message: string;
}

export interface ServiceLog extends EngineLog {
  recentErrors(): RecentError[];
}

const MAX_SIZE = 10 * 1024 * 1024;
const KEEP_ERRORS = 20;

/**
 * The coordinator's log: `.workgraph/service/daemon.log`, rotated at 10 MB (one `.old.log` kept).
 * Warnings and errors are also remembered (the last 20) for `wg service status`.
 */
export function createServiceLog(file: string, options: { console?: boolean } = {}): ServiceLog {
  // One logger per log file, so several projects in one process (the app, tests) never mix.
  const logger = log.create({ logId: `wg-${createHash('sha1').update(file).digest('hex').slice(0, 12)}` });
  logger.transports.file.setAppName('workgraph');
  logger.transports.file.resolvePathFn = () => file;
  logger.transports.file.maxSize = MAX_SIZE;
  logger.transports.file.level = 'info';
  // Batched appends instead of an open/write/close per line: a busy coordinator logs every run.
  logger.transports.file.sync = false;
  logger.transports.console.level = options.console ? 'info' : false;
  const recent: RecentError[] = [];
  const remember = (message: string) => {
    recent.push({ timestamp: new Date().toISOString(), message });
    if (recent.length > KEEP_ERRORS) recent.shift();
  };
  return {
    info: (message) => logger.info(message),
    warn: (message) => {
      remember(message);
      logger.warn(message);
    },
    error: (message) => {
      remember(message);
      logger.error(message);
    },
    recentErrors: () => [...recent],
  };
}
