import type { ExecutorType } from '../../../shared/config-types';
import type { OpInput } from '../../../shared/ops/registry';
import { optionalText } from '../../components/list-input';

export type ExecutorField = 'command' | 'args' | 'endpoint' | 'method' | 'model' | 'timeout' | 'repo' | 'role';

/** The fields each executor type uses; the form shows only these. */
export const FIELDS_BY_TYPE: Record<ExecutorType, readonly ExecutorField[]> = {
  claude: ['model', 'timeout'],
  codex: ['model', 'timeout'],
  amplifier: ['model', 'timeout'],
  shell: ['timeout'],
  cli: ['command', 'args', 'model', 'timeout'],
  http: ['endpoint', 'method', 'model', 'timeout'],
  schedule: ['timeout'],
  external: ['timeout'],
  manual: [],
  remote: ['repo', 'role', 'model', 'timeout'],
};

/** Fields a type cannot work without (the op schema has them optional for every type). */
const REQUIRED_BY_TYPE: Partial<Record<ExecutorType, readonly ExecutorField[]>> = {
  cli: ['command'],
  http: ['endpoint'],
};

export const TYPE_HELP: Record<ExecutorType, string> = {
  claude: 'Claude Code in headless mode.',
  codex: 'OpenAI Codex CLI.',
  amplifier: 'The amplifier CLI (amplifier run --mode single); a model as provider:model.',
  shell: "Runs the task's shell command (--exec).",
  cli: 'Any program; args may use {prompt} {cwd} {model} {task_id}.',
  http: 'POSTs the task to a URL; the service reports back over the API.',
  schedule: 'Runs tasks at their schedule.',
  external: 'An agent outside this machine, judged by heartbeat.',
  manual: 'A person does the task and marks it done.',
  remote: 'An agent daemon on another machine (wg agentd) with the repository and role.',
};

export interface ExecutorFormValues {
  name: string;
  type: ExecutorType;
  command: string;
  /** One argument per line, so arguments may hold spaces and commas. */
  args: string;
  endpoint: string;
  method: 'POST' | 'PUT';
  model: string;
  timeout: string;
  repo: string;
  role: string;
}

export const EMPTY_EXECUTOR: ExecutorFormValues = {
  name: '',
  type: 'cli',
  command: '',
  args: '',
  endpoint: '',
  method: 'POST',
  model: '',
  timeout: '',
  repo: '',
  role: '',
};

/** The `executor:add` input for the fields the chosen type uses. */
export function executorInput(values: ExecutorFormValues): OpInput<'executor:add'> {
  const uses = new Set(FIELDS_BY_TYPE[values.type]);
  const args = values.args
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return {
    name: values.name.trim(),
    type: values.type,
    command: uses.has('command') ? optionalText(values.command) : undefined,
    args: uses.has('args') && args.length > 0 ? args : undefined,
    endpoint: uses.has('endpoint') ? optionalText(values.endpoint) : undefined,
    method: uses.has('method') ? values.method : undefined,
    model: uses.has('model') ? optionalText(values.model) : undefined,
    timeout: uses.has('timeout') ? optionalText(values.timeout) : undefined,
    repo: uses.has('repo') ? optionalText(values.repo) : undefined,
    role: uses.has('role') ? optionalText(values.role) : undefined,
  };
}

export function missingRequired(values: ExecutorFormValues): Record<string, string> {
  const missing: Record<string, string> = {};
  for (const field of REQUIRED_BY_TYPE[values.type] ?? []) {
    if (values[field].trim() === '') missing[field] = `required for ${values.type} executors`;
  }
  return missing;
}
