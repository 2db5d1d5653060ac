/** Upstream's `wg resources`: each resource's utilization (its ResourceUtilization), field for field. */
export interface ResourceUtilization {
  id: string;
  name: string | null;
  available: number;
  unit: string | null;
  /** Estimated cost of the unfinished tasks that require it. */
  committed: number;
  /** Estimated cost of the done tasks that require it. */
  spent: number;
  remaining: number;
  committed_percent: number;
  over_budget: boolean;
  /** When over budget: the unfinished tasks with a cost that require it. */
  tasks_at_risk: string[];
}

/** `wg resources --json` (upstream's ResourcesOutput): every resource with an amount available, and those over it. */
export interface ResourcesReport {
  resources: ResourceUtilization[];
  alerts: ResourceUtilization[];
}
