import type { Command } from 'commander';
import type { GlobalOptions } from './run-op';

/** `wg service start|stop|status|restart|install` — filled in with the coordinator. */
export function registerServiceCommands(program: Command, globals: () => GlobalOptions): void {
  void program;
  void globals;
}
