import type { CSSProperties } from 'react';
import type { AgentState } from '../../shared/agent';
import type { TaskStatus } from '../../shared/task';
import { AGENT_STATE_STATE, STATUS_STATE, stateColour } from './status';

export function StatusPill({ status }: { status: TaskStatus }) {
  return (
    <span className="pill" data-status={status} style={{ '--c': stateColour(STATUS_STATE[status]) } as CSSProperties}>
      {status}
    </span>
  );
}

export function AgentStatePill({ state }: { state: AgentState }) {
  return (
    <span className="pill" data-state={state} style={{ '--c': stateColour(AGENT_STATE_STATE[state]) } as CSSProperties}>
      {state}
    </span>
  );
}
