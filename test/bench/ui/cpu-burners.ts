import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Processes that each keep one core busy, as a build or a local agent fleet does beside the window (issue 76: "a
 * person with a build or an agent fleet on their laptop is under load too"). Each is a Node spinning in a loop.
 */
export interface CpuBurners {
  count: number;
  stop(): void;
}

export function startCpuBurners(count: number): CpuBurners {
  const children: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return {
    count,
    stop() {
      for (const child of children) child.kill('SIGKILL');
    },
  };
}

/** Which loads the bench runs under: BENCH_LOAD=quiet,burners (default both); `burners` is two busy processes. */
export function benchLoads(): Array<{ label: string; burners: number }> {
  const names = (process.env.BENCH_LOAD ?? 'quiet,burners').split(',').map((name) => name.trim());
  return names.map((name) => {
    if (name === 'quiet') return { label: 'quiet', burners: 0 };
    if (name === 'burners') return { label: 'beside two CPU-burning processes (node -e "for (;;) {}")', burners: 2 };
    throw new Error(`BENCH_LOAD: ${name} is neither quiet nor burners`);
  });
}
