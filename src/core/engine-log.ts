/** Where the coordinator and the runs it settles write what they did (the service log, or the app's). */
export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
