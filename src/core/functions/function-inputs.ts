import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { WgError } from '../../shared/errors';
import type { FunctionInput, TaskTemplate } from '../../shared/functions';
import type { JsonValue } from '../../shared/task';

/*
 * A function's inputs as upstream's `wg func apply` takes them: `--input key=value` typed by the
 * function's definition, `--input-file` (YAML or JSON), checked against the definitions (defaults
 * applied), a `file_content` input replaced by its file's text, then `{{input.<name>}}` substituted.
 */

export type Inputs = Map<string, JsonValue>;

const refuse = (message: string) => new WgError('invalid', message);

function typeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** `key=value`, the value typed by the input's definition (a string when the key names none). */
export function parseInputPair(text: string, defs: readonly FunctionInput[]): [string, JsonValue] {
  const at = text.indexOf('=');
  if (at < 0) throw refuse(`Invalid input format '${text}'. Expected key=value`);
  const key = text.slice(0, at).trim();
  const raw = text.slice(at + 1).trim();
  const type = defs.find((d) => d.name === key)?.type;
  if (type === 'number') {
    if (!NUMBER.test(raw)) throw refuse(`Input '${key}' should be a number but got '${raw}'`);
    return [key, Number(raw)];
  }
  if (type === 'file_list') return [key, raw.split(',').map((item) => item.trim())];
  if (type === 'json') {
    try {
      return [key, JSON.parse(raw) as JsonValue];
    } catch {
      throw refuse(`Input '${key}' should be valid JSON`);
    }
  }
  return [key, raw];
}

/** An `--input-file`: a YAML (or JSON) mapping of input names to values. */
export function parseInputFile(path: string): Inputs {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw refuse(`Failed to read input file '${path}'`);
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    throw refuse(`Failed to parse input file '${path}' as YAML`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse(`Input file '${path}' must contain a YAML mapping`);
  return new Map(Object.entries(value as Record<string, JsonValue>));
}

function checkValue(name: string, value: JsonValue, def: FunctionInput): void {
  switch (def.type) {
    case 'string':
    case 'text':
    case 'url':
      if (typeof value !== 'string') throw refuse(`Input '${name}' must be a string, got "${typeName(value)}"`);
      return;
    case 'number': {
      if (typeof value !== 'number') throw refuse(`Input '${name}' must be a number, got "${typeName(value)}"`);
      if (def.min !== undefined && value < def.min) throw refuse(`Input '${name}' value ${value} is below minimum ${def.min}`);
      if (def.max !== undefined && value > def.max) throw refuse(`Input '${name}' value ${value} exceeds maximum ${def.max}`);
      return;
    }
    case 'file_list':
      if (!Array.isArray(value)) throw refuse(`Input '${name}' must be a list, got "${typeName(value)}"`);
      return;
    case 'file_content':
      if (typeof value !== 'string') throw refuse(`Input '${name}' must be a file path (string), got "${typeName(value)}"`);
      return;
    case 'enum':
      if (typeof value !== 'string') throw refuse(`Input '${name}' must be a string for enum type, got "${typeName(value)}"`);
      if (def.values && !def.values.includes(value)) {
        throw refuse(`Input '${name}' value '${value}' is not one of: ${def.values.join(', ')}`);
      }
      return;
    case 'json':
      return;
  }
}

/** Upstream's validate_inputs: each defined input given (and checked), defaulted, or missing when required. */
export function validateInputs(defs: readonly FunctionInput[], provided: Inputs): Inputs {
  const resolved: Inputs = new Map();
  for (const def of defs) {
    const value = provided.get(def.name);
    if (value !== undefined) {
      checkValue(def.name, value, def);
      resolved.set(def.name, value);
    } else if (def.default !== undefined) {
      resolved.set(def.name, def.default);
    } else if (def.required) {
      throw refuse(`Missing required input '${def.name}'`);
    }
  }
  return resolved;
}

/** A `file_content` input's value is the path of a file; its text takes its place. */
export function resolveFileContents(defs: readonly FunctionInput[], resolved: Inputs): Inputs {
  for (const def of defs) {
    const value = resolved.get(def.name);
    if (def.type !== 'file_content' || typeof value !== 'string') continue;
    try {
      resolved.set(def.name, readFileSync(value, 'utf8'));
    } catch {
      throw refuse(`Failed to read file '${value}' for file_content input '${def.name}'`);
    }
  }
  return resolved;
}

/** A value as it is put into a template (upstream's render_value): a list one item a line, a mapping as JSON. */
export function renderValue(value: JsonValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(renderValue).join('\n');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Every `{{input.<name>}}` replaced by its value. */
export function substitute(text: string, inputs: Inputs): string {
  let result = text;
  for (const [name, value] of inputs) result = result.split(`{{input.${name}}}`).join(renderValue(value));
  return result;
}

/** A task template with its text fields substituted (upstream's substitute_task_template). */
export function substituteTemplate(template: TaskTemplate, inputs: Inputs): TaskTemplate {
  return {
    ...template,
    title: substitute(template.title, inputs),
    description: substitute(template.description, inputs),
    skills: template.skills.map((s) => substitute(s, inputs)),
    deliverables: template.deliverables.map((d) => substitute(d, inputs)),
    verify: template.verify === undefined ? undefined : substitute(template.verify, inputs),
  };
}
