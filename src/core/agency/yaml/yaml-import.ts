import { rememberFile } from './synced-files';
import { evaluationIdOf } from '../evaluation-shape';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import type { AgencyCounts, AgencyTransfer } from '../../../shared/agency';
import { invalid } from '../../../shared/errors';
import { firstProblem, PLAIN } from '../../../shared/ops/plain-errors';
import type { Store } from '../../store/store';
import { CONTENT_TAGS, extraOf, LAYOUT, lineageCreatedAt, READERS, type EntityKind } from './yaml-shapes';
import { agencyWrites } from '../agency-writes';

interface Parsed<T> {
  value: T;
  raw: Record<string, unknown>;
  /** The file's name in its folder. */
  name: string;
  /** Its path and text, as read (what an export may later overwrite: synced-files.ts). */
  path: string;
  text: string;
}

type Reader = (typeof READERS)[keyof typeof READERS];

/** Every file of one folder that parses, and one line for each that does not (upstream also skips those). */
function readFolder<S extends Reader>(
  dir: string,
  folder: string,
  suffix: string,
  schema: S,
  skipped: string[],
): Array<Parsed<z.output<S>>> {
  const path = join(dir, folder);
  if (!existsSync(path)) return [];
  const out: Array<Parsed<z.output<S>>> = [];
  for (const name of readdirSync(path).sort()) {
    if (!name.endsWith(suffix) || name.startsWith('.')) continue;
    const file = join(folder, name);
    let raw: unknown;
    let text: string;
    try {
      text = readFileSync(join(path, name), 'utf8');
      raw = suffix === '.json' ? JSON.parse(text) : parse(text, { customTags: CONTENT_TAGS });
    } catch (error) {
      // The parser's own sentence is its internals; where in the file is what a person can act on.
      const at = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
      skipped.push(
        `${file}: not ${suffix === '.json' ? 'JSON' : 'YAML'}${at ? ` (line ${at.line}, column ${at.col})` : ''}; check its indentation, brackets and quotes`,
      );
      continue;
    }
    const result = schema.safeParse(raw, PLAIN);
    if (!result.success) {
      skipped.push(`${file}: ${firstProblem(result.error)}`);
      continue;
    }
    out.push({ value: result.data as z.output<S>, raw: raw as Record<string, unknown>, name, path: join(path, name), text });
  }
  return out;
}

/**
 * Reads an upstream agency folder into the store in one transaction: entries with the same id are
 * replaced by the file's (import is "make mine like that"), fields this app does not model are kept
 * for the next export, evaluations already present are not doubled. Role and agent ids are recomputed
 * from their parts (as upstream does) and references follow, so a hand-edited file cannot smuggle in
 * an id that does not match its content.
 */
export async function importAgency(store: Store, dir: string): Promise<AgencyTransfer> {
  if (!existsSync(dir)) throw invalid(`no agency folder at ${dir}`);
  const skipped: string[] = [];
  const read = <K extends EntityKind>(kind: K) => readFolder(dir, LAYOUT[kind], '.yaml', READERS[kind], skipped);
  const components = read('components');
  const outcomes = read('outcomes');
  const tradeoffs = read('tradeoffs');
  const roles = read('roles');
  const agents = read('agents');
  const evaluations = readFolder(dir, LAYOUT.evaluations, '.json', READERS.evaluations, skipped);
  if (components.length + outcomes.length + tradeoffs.length + roles.length + agents.length + evaluations.length === 0) {
    if (skipped.length === 0) throw invalid(`${dir} holds no agency files (expected ${LAYOUT.roles}/, ${LAYOUT.agents}/, …)`);
    // As upstream's loaders: some bad files are skipped, but a folder of nothing else is refused, not taken as empty.
    const more = skipped.length > 1 ? ` (and ${skipped.length - 1} more)` : '';
    throw invalid(`every agency file of ${dir} is corrupt: ${skipped[0]}${more}`);
  }
  const counts: AgencyCounts = { components: 0, outcomes: 0, tradeoffs: 0, roles: 0, agents: 0, evaluations: 0 };
  await store.core.write(async () => {
    const agency = agencyWrites(store);
    for (const { value: c, raw } of components) {
      await agency.putComponent({ ...c, scope: c.scope ?? null }, 'replace', extraOf('components', raw));
      counts.components++;
    }
    for (const { value: o, raw } of outcomes) {
      await agency.putOutcome({ ...o, scope: o.scope ?? null }, 'replace', extraOf('outcomes', raw));
      counts.outcomes++;
    }
    for (const { value: t, raw } of tradeoffs) {
      await agency.putTradeoff(
        {
          id: t.id,
          name: t.name,
          description: t.description,
          acceptable: t.acceptable_tradeoffs,
          unacceptable: t.unacceptable_tradeoffs,
          scope: t.scope ?? null,
          created_at: lineageCreatedAt(raw),
        },
        'replace',
        extraOf('tradeoffs', raw),
      );
      counts.tradeoffs++;
    }
    const roleIds = new Map<string, string>();
    for (const { value: r, raw } of roles) {
      const id = await agency.putRole(
        {
          name: r.name,
          description: r.description,
          component_ids: r.component_ids,
          outcome_id: r.outcome_id,
          default_exec_mode: r.default_exec_mode ?? null,
          default_context_scope: r.default_context_scope ?? null,
        },
        'replace',
        extraOf('roles', raw),
        lineageCreatedAt(raw),
      );
      roleIds.set(r.id, id);
      counts.roles++;
    }
    const agentIds = new Map<string, string>();
    for (const { value: a, raw } of agents) {
      const roleId = roleIds.get(a.role_id) ?? a.role_id;
      const tradeoffId = (a.tradeoff_id ?? a.motivation_id) as string;
      const id = await agency.putIdentity(
        {
          name: a.name,
          role_id: roleId,
          tradeoff_id: tradeoffId,
          executor: a.executor,
          model: a.preferred_model ?? null,
          provider: a.preferred_provider ?? null,
          capabilities: a.capabilities,
        },
        'replace',
        extraOf('agents', raw),
        lineageCreatedAt(raw),
      );
      agentIds.set(a.id, id);
      counts.agents++;
    }
    for (const { value: e, name } of evaluations) {
      if (await store.evaluations.has(e.task_id, e.timestamp)) continue;
      const agentId = e.agent_id ? (agentIds.get(e.agent_id) ?? e.agent_id) : null;
      const ownId = evaluationIdOf(e.task_id, e.timestamp);
      await store.evaluations.insert({
        task_id: e.task_id,
        agent_id: agentId,
        role_id: e.role_id ? (roleIds.get(e.role_id) ?? e.role_id) : null,
        tradeoff_id: e.tradeoff_id ?? e.motivation_id ?? null,
        score: (e.score ?? e.value) as number,
        dimensions: e.dimensions,
        notes: e.notes ?? e.reasoning ?? null,
        evaluator: e.evaluator ?? e.evaluated_by ?? null,
        model: e.model ?? null,
        source: e.source,
        timestamp: e.timestamp,
        // Kept only where they are not what this app would give it anyway.
        upstream_id: e.id && e.id !== ownId ? e.id : null,
        upstream_file: name !== `${e.id || ownId}.json` ? name : null,
        loop_iteration: e.loop_iteration,
      });
      counts.evaluations++;
    }
    for (const file of [...components, ...outcomes, ...tradeoffs, ...roles, ...agents, ...evaluations])
      await rememberFile(store.core, file.path, file.text);
  });
  return { path: dir, counts, skipped };
}
