import { expect, it } from 'vitest';
import { baseAgentEnv } from '../../../src/core/runs/starting/agent-env';

/*
 * A run gets the coordinator's environment without what is the coordinator's own. The daemon that `wg service
 * start` starts reads WG_READY_FD (the pipe it says it answers on) once, after its coordinator, whose agents'
 * environment is read at its start, is open.
 */
it("hands a run none of the daemon's start-up pipe (WG_READY_FD)", () => {
  expect(baseAgentEnv({ PATH: '/usr/bin', WG_READY_FD: '3' })).toEqual({ PATH: '/usr/bin' });
});
