/** Where one `wg` command writes: the process's own streams for the bin, buffers for a test that runs it in-process. */
interface CliOutput {
  write(text: string): unknown;
  /** A terminal: times relative and statuses coloured (terminal.ts). */
  isTTY?: boolean;
  /** A terminal's width, for commander's help. */
  columns?: number;
}

/**
 * One run of `wg`: its streams, and the exit code it ends with when its command returns normally (`wg check`
 * on a graph with errors: 1). A command that fails throws instead; run-wg.ts turns that into its line and code.
 * The environment and the working folder are the process's own (a test running `wg` in-process sets them).
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Standard input, read whole (`--stdin`). */
  readStdin(): string;
  exitCode: number;
}

/**
 * Ends the command at once with this code, its output written: what a process would do with process.exit,
 * without ending the process that runs it (a test's).
 */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
