import { execa } from 'execa';
import { z } from 'zod';
import { errorText } from '../../shared/errors';
import { INPUT_TYPES, type FunctionInput, type TraceFunction } from '../../shared/functions';

/*
 * Upstream's `wg func extract --generalize`: Claude Code (`claude --print`, WG_CLAUDE_BIN) asked three
 * times to turn an extracted function from an instance into a pattern: (1) the role of each task,
 * (2) titles and descriptions rewritten for their role with {{input.*}} placeholders, (3) the new
 * placeholders defined as inputs. Any pass that fails leaves the raw extraction, saved as it is.
 */

/** The JSON in a model's answer: a ```json block, any fenced block, else the first [...] or {...}. */
export function jsonFromResponse(response: string): string {
  const fenced = /```json([\s\S]*?)```/.exec(response);
  if (fenced) return (fenced[1] as string).trim();
  const start = response.indexOf('```');
  if (start >= 0) {
    const afterFence = start + 3;
    const newline = response.indexOf('\n', afterFence);
    const contentStart = newline < 0 ? afterFence : newline + 1;
    const end = response.indexOf('```', contentStart);
    if (end >= 0) return response.slice(contentStart, end).trim();
  }
  const obj = response.indexOf('{');
  const arr = response.indexOf('[');
  if (arr >= 0 && (obj < 0 || arr < obj)) {
    const end = response.lastIndexOf(']');
    if (end > arr) return response.slice(arr, end + 1);
  } else if (obj >= 0) {
    const end = response.lastIndexOf('}');
    if (end > obj) return response.slice(obj, end + 1);
  }
  return response.trim();
}

/** The YAML in a model's answer: a ```yaml block, any fenced block, else the whole answer. */
export function yamlFromResponse(response: string): string {
  const fenced = /```yaml([\s\S]*?)```/.exec(response);
  if (fenced) return (fenced[1] as string).trim();
  const start = response.indexOf('```');
  if (start >= 0) {
    const newline = response.indexOf('\n', start + 3);
    const contentStart = newline < 0 ? start + 3 : newline + 1;
    const end = response.indexOf('```', contentStart);
    if (end >= 0) return response.slice(contentStart, end).trim();
  }
  return response.trim();
}

export type AskModel = (prompt: string) => Promise<string>;

/** Claude Code in print mode, the prompt on stdin, its answer as text. */
export function askClaude(env: NodeJS.ProcessEnv = process.env): AskModel {
  return async (prompt) => {
    const result = await execa(env.WG_CLAUDE_BIN || 'claude', ['--print'], { input: prompt, reject: false, timeout: 300_000, env });
    if (result.failed || result.exitCode !== 0) {
      const said =
        String(result.stderr ?? '')
          .trim()
          .split('\n')[0] || result.shortMessage;
      throw new Error(`Claude CLI failed: ${said}`);
    }
    return String(result.stdout);
  };
}

const roles = z.array(z.object({ template_id: z.string(), role: z.string() }));
const rewrites = z.array(
  z.object({ template_id: z.string(), title: z.string(), description: z.string(), deliverables: z.array(z.string()).default([]) }),
);
const placeholders = z.array(
  z.object({
    name: z.string(),
    type: z.string().default('string'),
    description: z.string(),
    required: z.boolean().default(false),
    example: z.string().nullish(),
  }),
);

async function ask<T>(model: AskModel, pass: string, prompt: string, schema: z.ZodType<T>): Promise<T> {
  const answer = await model(prompt);
  let value: unknown;
  try {
    value = JSON.parse(jsonFromResponse(answer));
  } catch (error) {
    throw new Error(`${pass}: the answer is not JSON (${errorText(error)})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${pass}: the answer is not in the shape asked for`);
  return parsed.data;
}

function rolePrompt(func: TraceFunction): string {
  const tasks = func.tasks.map(
    (t, i) =>
      `  ${i + 1}: template_id=${t.template_id}, title=${JSON.stringify(t.title)}, description=${JSON.stringify(t.description)}, ` +
      `skills=[${t.skills.join(', ')}], ${t.after.length === 0 ? 'root (no dependencies)' : `depends on: ${t.after.join(', ')}`}`,
  );
  return [
    'These tasks make up a workflow taken from a finished software project. Name the ROLE each task plays in',
    'the pattern: what function it serves, not which code it touched (for example data-model, implementation,',
    'integration, validator, tests, documentation, cli, refactor, configuration, review).',
    '',
    'Tasks:',
    ...tasks,
    '',
    'Answer with a JSON array only, one object per task with "template_id" and "role".',
  ].join('\n');
}

function rewritePrompt(func: TraceFunction, roleOf: ReadonlyMap<string, string>): string {
  const tasks = func.tasks.map(
    (t) =>
      `  template_id=${t.template_id}, role=${roleOf.get(t.template_id) ?? 'unknown'}, title=${JSON.stringify(t.title)}, ` +
      `description=${JSON.stringify(t.description)}${t.deliverables.length > 0 ? `, deliverables=${JSON.stringify(t.deliverables)}` : ''}`,
  );
  const known = func.inputs.map((i) => i.name);
  return [
    `Function: name=${JSON.stringify(func.name)}, description=${JSON.stringify(func.description)}.`,
    'Rewrite each task so it describes the role it plays in the pattern, not this instance: keep what any',
    'application of the workflow needs, drop what was particular to this one. Use {{input.feature_name}} for the',
    'feature, {{input.source_files}} for files, {{input.test_command}} for how to check it; generalize deliverables too.',
    known.length > 0 ? `Inputs already defined, usable as {{input.<name>}}: ${known.join(', ')}.` : 'No inputs are defined yet.',
    '',
    'Tasks:',
    ...tasks,
    '',
    'Answer with a JSON array only: objects with "template_id", "title", "description" and, if any, "deliverables";',
    'add one with template_id "__function__" for the function\'s own name (as title) and description.',
  ].join('\n');
}

function placeholderPrompt(text: string, known: readonly string[]): string {
  return [
    'The text below uses {{input.<name>}} placeholders. Define every one not defined yet as an input.',
    `Defined already (leave out): ${known.length > 0 ? known.join(', ') : 'none'}.`,
    '',
    text,
    '',
    'Answer with a JSON array only (an empty one if none is new): objects with "name" (without "input."),',
    '"type" (string, text, file_list, number, url or enum), "description", "required" (true or false) and "example".',
  ].join('\n');
}

/** The function generalized by three passes of the model; throws when a pass fails. */
export async function generalizeFunction(func: TraceFunction, model: AskModel): Promise<TraceFunction> {
  const roleOf = new Map((await ask(model, 'Pass 1', rolePrompt(func), roles)).map((r) => [r.template_id, r.role]));
  const rewriteOf = new Map((await ask(model, 'Pass 2', rewritePrompt(func, roleOf), rewrites)).map((r) => [r.template_id, r]));
  const rewritten = [...rewriteOf.values()].flatMap((r) => [r.title, r.description, ...r.deliverables]).join('\n');
  const known = func.inputs.map((i) => i.name);
  const fresh = await ask(model, 'Pass 3', placeholderPrompt(rewritten, known), placeholders);
  const inputs: FunctionInput[] = fresh
    .filter((p) => !known.includes(p.name))
    .map((p) => ({
      name: p.name,
      type: (INPUT_TYPES as readonly string[]).includes(p.type) ? (p.type as FunctionInput['type']) : 'string',
      description: p.description,
      required: p.required,
      ...(p.example ? { example: p.example } : {}),
    }));
  const top = rewriteOf.get('__function__');
  const tasks = func.tasks.map((t) => {
    const rewrite = rewriteOf.get(t.template_id);
    const role = roleOf.get(t.template_id);
    return {
      ...t,
      ...(role !== undefined ? { role_hint: role } : {}),
      ...(rewrite ? { title: rewrite.title, description: rewrite.description } : {}),
      ...(rewrite && rewrite.deliverables.length > 0 ? { deliverables: rewrite.deliverables } : {}),
    };
  });
  // An input the templates now name is required (upstream marks them so).
  const named = tasks.map((t) => `${t.title} ${t.description}`).join(' ');
  return {
    ...func,
    name: top?.title ? top.title : func.name,
    description: top ? top.description : func.description,
    inputs: [...func.inputs, ...inputs].map((i) => (named.includes(`{{input.${i.name}}}`) ? { ...i, required: true } : i)),
    tasks,
  };
}
