/** Where the coordinator and the runs it settles write what they did (the service log, or the app's). */
export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Starts work that an event begins (a timer, a socket's message, a commit heard) and nothing awaits: a failure of it
 * (the database away a moment) is said in the log, never left to end the process as an unhandled rejection.
 */
export function inBackground(work: Promise<unknown>, say: (line: string) => void, what: string): void {
  work.catch((error: unknown) => say(`${what}: ${error instanceof Error ? error.message : String(error)}`));
}
