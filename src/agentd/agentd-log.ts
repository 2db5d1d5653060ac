import type { LogLevel } from './config';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface AgentdLog {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  /** Only with --log-level debug: every protocol message. */
  debug(message: string): void;
}

/** One timestamped line per message on stderr (systemd and launchd keep it). */
export function createAgentdLog(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): AgentdLog {
  const at = (wanted: LogLevel, message: string) => {
    if (ORDER[wanted] <= ORDER[level]) write(`${new Date().toISOString()} ${wanted.padEnd(5)} ${message}\n`);
  };
  return {
    error: (m) => at('error', m),
    warn: (m) => at('warn', m),
    info: (m) => at('info', m),
    debug: (m) => at('debug', m),
  };
}
