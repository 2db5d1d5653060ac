import type { DaemonJob } from '../../shared/agent-daemon-types';
import type { AgentView, SchedulerEvent } from '../deciding/scheduler-types';

/**
 * How a run ended whose agent-daemon job ended while the run was left working. A job's end and its run's settle are two
 * commits (job-outcomes.ts: the engine judges the run in a transaction of its own, after the job's), so a coordinator
 * killed between them leaves a run working with no lease to run out and no word to come: nothing would ever end it. The
 * job's stored end says how it went, as near as the message that ended it did (its outcome is that message's line).
 */
export function endOfEndedJob(job: DaemonJob): (agent: AgentView) => SchedulerEvent {
  const said = job.outcome ?? job.state;
  switch (job.state) {
    case 'done':
      return (agent) => ({ type: 'exited', agent, code: 0, signal: null, stderr_tail: '' });
    case 'failed':
      return (agent) => ({ type: 'exited', agent, code: 1, signal: null, stderr_tail: said, daemon: job.daemon_host });
    case 'cancelled':
      return (agent) => ({ type: 'exited', agent, code: null, signal: 'SIGTERM', stderr_tail: said });
    default:
      return (agent) => ({ type: 'lease-lost', agent, reason: said });
  }
}
