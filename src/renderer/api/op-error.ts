/** An op refused by the store or the daemon; `message` is the text to show the user, verbatim. */
export class OpError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'OpError';
  }
}

// Should an Error thrown in Electron's main process reach us through ipcRenderer.invoke, it reads
// "Error invoking remote method 'task:addDep': WgError: <message>"; the user should only see <message>.
const IPC_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/**
 * The one line to show for a failed operation, whatever threw it: an Error, or the plain
 * `{error, code}` object the preload rejects with (the HTTP API's error body, see api-contract.ts).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.replace(IPC_PREFIX, '');
  if (typeof error === 'object' && error !== null && 'error' in error && typeof error.error === 'string') return error.error;
  if (typeof error === 'string') return error;
  return 'unexpected error';
}
