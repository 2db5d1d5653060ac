import type { DesiredOutcome, RoleComponent, Tradeoff } from '../../shared/agency';
import { descriptionHash, identityHash, roleHash } from './hash';

/**
 * What `wg agency init` seeds, word for word as upstream's starters and
 * agency_init: four roles (Programmer, Reviewer, Documenter, Architect) from eight
 * components and four outcomes, four tradeoffs (Careful, Fast, Thorough, Balanced), the default agent
 * "Careful Programmer", and the Assigner and Evaluator special agents with their own primitives.
 * (Upstream also seeds an Evolver and an Agent Creator; this app runs neither, so they are left out.)
 */

export interface StarterRole {
  name: string;
  description: string;
  component_ids: string[];
  outcome_id: string;
  id: string;
}

export interface StarterAgent {
  name: string;
  role: StarterRole;
  tradeoff: Tradeoff;
  id: string;
}

const STARTER_TIME = '1970-01-01T00:00:00.000Z';

function component(name: string, description: string, scope: string | null = null): RoleComponent {
  const category = scope ? 'novel' : 'translated';
  return { id: descriptionHash(description), name, description, category, content: { kind: 'name', value: name }, scope };
}

function outcome(name: string, description: string, criteria: string[] = [], scope: string | null = null): DesiredOutcome {
  return { id: descriptionHash(description), name, description, success_criteria: criteria, scope };
}

function tradeoff(name: string, description: string, acceptable: string[], unacceptable: string[], scope: string | null = null): Tradeoff {
  return { id: descriptionHash(description), name, description, acceptable, unacceptable, scope, created_at: STARTER_TIME };
}

function role(name: string, description: string, components: readonly RoleComponent[], goal: DesiredOutcome): StarterRole {
  const componentIds = components.map((c) => c.id);
  return { name, description, component_ids: componentIds, outcome_id: goal.id, id: roleHash(componentIds, goal.id) };
}

const pick = <T extends { name: string }>(items: readonly T[], ...names: string[]): T[] =>
  names.map((n) => items.find((i) => i.name === n) as T);

const STARTER_COMPONENTS: readonly RoleComponent[] = [
  component('code-writing', 'Writes production-quality code.'),
  component('testing', 'Writes and runs tests.'),
  component('debugging', 'Diagnoses and fixes bugs.'),
  component('code-review', 'Reviews code for correctness and style.'),
  component('security-audit', 'Audits code for security vulnerabilities.'),
  component('technical-writing', 'Produces clear technical documentation.'),
  component('system-design', 'Designs system architectures.'),
  component('dependency-analysis', 'Analyzes dependencies and structural decisions.'),
];

const STARTER_OUTCOMES: readonly DesiredOutcome[] = [
  outcome('Working, tested code', 'Working, tested code'),
  outcome('Review report with findings', 'Review report with findings'),
  outcome('Clear documentation', 'Clear documentation'),
  outcome('Design document with rationale', 'Design document with rationale'),
];

const goal = (name: string) => pick(STARTER_OUTCOMES, name)[0] as DesiredOutcome;

export const STARTER_ROLES: readonly StarterRole[] = [
  role(
    'Programmer',
    'Writes, tests, and debugs code to implement features and fix bugs.',
    pick(STARTER_COMPONENTS, 'code-writing', 'testing', 'debugging'),
    goal('Working, tested code'),
  ),
  role(
    'Reviewer',
    'Reviews code for correctness, security, and style.',
    pick(STARTER_COMPONENTS, 'code-review', 'security-audit'),
    goal('Review report with findings'),
  ),
  role(
    'Documenter',
    'Produces clear, accurate technical documentation.',
    pick(STARTER_COMPONENTS, 'technical-writing'),
    goal('Clear documentation'),
  ),
  role(
    'Architect',
    'Designs systems, analyzes dependencies, and makes structural decisions.',
    pick(STARTER_COMPONENTS, 'system-design', 'dependency-analysis'),
    goal('Design document with rationale'),
  ),
];

export const STARTER_TRADEOFFS: readonly Tradeoff[] = [
  tradeoff('Careful', 'Prioritizes reliability and correctness above speed.', ['Slow', 'Verbose'], ['Unreliable', 'Untested']),
  tradeoff('Fast', 'Prioritizes speed and shipping over polish.', ['Less documentation', 'Simpler solutions'], ['Broken code']),
  tradeoff('Thorough', 'Prioritizes completeness and depth of analysis.', ['Expensive', 'Slow', 'Verbose'], ['Incomplete analysis']),
  tradeoff(
    'Balanced',
    'Moderate on all dimensions; balances speed, quality, and completeness.',
    ['Moderate trade-offs on any single dimension'],
    ['Extreme compromise on any dimension'],
  ),
];

const ASSIGNER = 'meta:assigner';
const EVALUATOR = 'meta:evaluator';

const ASSIGNER_COMPONENTS: readonly RoleComponent[] = [
  component(
    'task-to-component-matching',
    'Evaluate closeness of fit between a task description and each candidate role component.',
    ASSIGNER,
  ),
  component(
    'task-to-outcome-matching',
    'Evaluate closeness of fit between task requirements and a desired outcome specification.',
    ASSIGNER,
  ),
  component(
    'task-to-tradeoff-matching',
    "Evaluate whether a task's constraints are compatible with a candidate trade-off configuration.",
    ASSIGNER,
  ),
  component(
    'historical-performance-weighting',
    'Use past evaluation data on agents and primitives to weight match scores. A role component with strong performance in analogous tasks receives higher match weight.',
    ASSIGNER,
  ),
  component(
    'composition-cache-search',
    'Query the composition cache for pre-composed agents, rank by fit score, return best match. Used in performance mode.',
    ASSIGNER,
  ),
  component(
    'primitive-first-composition',
    'Assemble novel agent configurations from the primitive store without cache bias; record the composition rationale for retrospective analysis. Used in learning mode.',
    ASSIGNER,
  ),
  component(
    'task-clarification',
    'When a task is missing one or more well-formed criteria (what it is, how to know when done, how to evaluate quality), request clarification before assigning.',
    ASSIGNER,
  ),
];

const EVALUATOR_COMPONENTS: readonly RoleComponent[] = [
  component(
    'cardinal-scale-grading',
    'Produce a numerical score (0.0–1.0) with calibrated confidence. The primary grading modality.',
    EVALUATOR,
  ),
  component(
    'ordinal-scale-grading',
    'Rank performance relative to a reference set (other agents, historical baselines) without producing absolute scores. Useful when absolute calibration is difficult.',
    EVALUATOR,
  ),
  component(
    'rubric-interpretation',
    'Parse and apply an explicit rubric provided with the task. Maps to rubric specification spectrum levels 1–4.',
    EVALUATOR,
  ),
  component(
    'domain-specific-evaluation-standards',
    'Apply evaluation norms from a particular field (e.g., software engineering, research, creative writing). Invoked when task rubric specifies a domain standard.',
    EVALUATOR,
  ),
  component(
    'underspecification-detection',
    'Identify when a task has no rubric (control by omission) and flag this before grading rather than making arbitrary meaningmaking decisions.',
    EVALUATOR,
  ),
  component(
    'grade-transparency',
    'Produce grades with sufficient rationale that a human reviewer or peer evaluator can assess the grading quality. Makes the evaluator evaluable.',
    EVALUATOR,
  ),
];

const SPECIAL_OUTCOMES: readonly DesiredOutcome[] = [
  outcome(
    'Optimal agent-task assignment',
    'The closest available agent configuration for the task, with a confidence score, a match rationale, and a flag if the task was underspecified.',
    ['Agent configuration matches task requirements', 'Confidence score provided', 'Match rationale documented'],
    ASSIGNER,
  ),
  outcome(
    'Calibrated evaluation grade',
    "A calibrated grade (0.0–1.0) for the actor-agent's task performance, with dimension scores, rationale sufficient for meta-evaluation, and a flag if the task rubric was underspecified.",
    ['Grade is calibrated and accurate', 'Dimension scores provided', 'Rationale sufficient for meta-evaluation'],
    EVALUATOR,
  ),
];

const SPECIAL_TRADEOFFS: readonly Tradeoff[] = [
  tradeoff(
    'Assigner Balanced',
    'Balanced assigner: flags low-confidence assignments, makes short clarification requests when needed.',
    ['Flagging low-confidence assignments', 'Short clarification requests'],
    ['Blocking on ambiguity that does not affect match quality', 'Failing silently without flagging issues'],
    ASSIGNER,
  ),
  tradeoff(
    'Evaluator Balanced',
    'Balanced evaluator: standard rubric application with reasonable benefit of doubt. Proper scoring rule incentive structure.',
    ['Standard rubric application', 'Reasonable benefit of doubt'],
    ['Arbitrary grade inflation or deflation', 'Strategic grading to optimize own performance history'],
    EVALUATOR,
  ),
];

const SPECIAL_ROLES: readonly StarterRole[] = [
  role(
    'Assigner',
    'Matches tasks to agent configurations by evaluating fit across role components, desired outcomes, and trade-off configurations. Uses performance history to weight matches. Can request task clarification when needed.',
    ASSIGNER_COMPONENTS,
    SPECIAL_OUTCOMES[0] as DesiredOutcome,
  ),
  role(
    'Evaluator',
    'Grades actor-agents that have completed tasks. Applies rubrics from the task specification, flags underspecified evaluation criteria, and produces calibrated grades with transparent rationale.',
    EVALUATOR_COMPONENTS,
    SPECIAL_OUTCOMES[1] as DesiredOutcome,
  ),
];

function agent(name: string, roleName: string, tradeoffName: string): StarterAgent {
  const r = [...STARTER_ROLES, ...SPECIAL_ROLES].find((x) => x.name === roleName) as StarterRole;
  const t = [...STARTER_TRADEOFFS, ...SPECIAL_TRADEOFFS].find((x) => x.name === tradeoffName) as Tradeoff;
  return { name, role: r, tradeoff: t, id: identityHash(r.id, t.id) };
}

/** Programmer + Careful: the agent a task gets when nothing better is known. */
export const DEFAULT_AGENT = agent('Careful Programmer', 'Programmer', 'Careful');
export const ASSIGNER_AGENT = agent('Default Assigner', 'Assigner', 'Assigner Balanced');
export const EVALUATOR_AGENT = agent('Default Evaluator', 'Evaluator', 'Evaluator Balanced');
export const STARTER_AGENTS: readonly StarterAgent[] = [DEFAULT_AGENT, ASSIGNER_AGENT, EVALUATOR_AGENT];

export const ALL_STARTER_COMPONENTS = [...STARTER_COMPONENTS, ...ASSIGNER_COMPONENTS, ...EVALUATOR_COMPONENTS];
export const ALL_STARTER_OUTCOMES = [...STARTER_OUTCOMES, ...SPECIAL_OUTCOMES];
export const ALL_STARTER_ROLES = [...STARTER_ROLES, ...SPECIAL_ROLES];
export const ALL_STARTER_TRADEOFFS = [...STARTER_TRADEOFFS, ...SPECIAL_TRADEOFFS];
