import { plainText } from '../core/text/plain-text';
import { redactSecrets } from '../shared/secret-text';
import type { LogLevel } from './config';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface AgentdLog {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  /** Only with --log-level debug: every protocol message. */
  debug(message: string): void;
}

/**
 * One timestamped line per message on stderr (systemd and launchd keep it). No line carries a
 * token, at any level: the auth frame that debug prints holds the agent token. Nor an escape
 * sequence: a job's stderr and the coordinator's words are shown as text (plain-text.ts).
 */
export function createAgentdLog(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
  /** Secrets known by value (the agent token as configured, whatever its shape). */
  secrets: readonly string[] = [],
): AgentdLog {
  const hide = (text: string) => secrets.reduce((out, secret) => (secret ? out.split(secret).join('…') : out), text);
  const at = (wanted: LogLevel, message: string) => {
    if (ORDER[wanted] <= ORDER[level])
      write(`${new Date().toISOString()} ${wanted.padEnd(5)} ${plainText(hide(redactSecrets(message)))}\n`);
  };
  return {
    error: (m) => at('error', m),
    warn: (m) => at('warn', m),
    info: (m) => at('info', m),
    debug: (m) => at('debug', m),
  };
}
