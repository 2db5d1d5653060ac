/** How long a failure reason may get: the tail of stderr, enough to see the error, not a dump. */
const MAX_TAIL = 600;

/** The last meaningful lines of a process's stderr, at most MAX_TAIL characters. */
export function stderrTail(text: string, max = MAX_TAIL): string {
  const trimmed = text.replace(/\s+$/, '');
  if (trimmed.length <= max) return trimmed.trim();
  const cut = trimmed.slice(trimmed.length - max);
  const newline = cut.indexOf('\n');
  // Start at a line boundary when one is near, so the reason does not begin mid-word.
  return `…${newline >= 0 && newline < max / 2 ? cut.slice(newline + 1) : cut}`;
}

export function failureReason(code: number, tail: string): string {
  const text = stderrTail(tail);
  return text ? `exit code ${code}: ${text}` : `exit code ${code}`;
}

/** The wrapper shell reports death by signal N as 128+N; name it so reasons read well. */
export function signalFromStatus(status: number): NodeJS.Signals | null {
  if (status <= 128 || status > 128 + 64) return null;
  const names: Partial<Record<number, NodeJS.Signals>> = {
    1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL',
    10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM',
  };
  return names[status - 128] ?? null;
}
