import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { operationsPath } from '../../src/core/provenance/operations-log';
import { edgesOf, metaAttachedTo, resetClosure } from '../../src/core/surgery/reset-closure';
import { parseDirection } from '../../src/shared/surgery';
import { makeAgent } from '../fixtures/objects';
import { SurgeryGraph, type UpstreamTask } from './surgery-support';

/* Upstream's `wg reset` (src/commands/reset.rs), its cases ported by name. */

let graph: SurgeryGraph | null = null;
afterEach(async () => {
  await graph?.dispose();
  graph = null;
});

async function setup(tasks: UpstreamTask[]): Promise<SurgeryGraph> {
  graph = await SurgeryGraph.of(tasks);
  return graph;
}

/** p ──► t ──► s, with .flip-t and .evaluate-t attached to t (upstream's write_chain). */
async function writeChain(): Promise<SurgeryGraph> {
  return setup([
    { id: 'p', status: 'done', before: ['t'] },
    { id: 't', status: 'failed', after: ['p'], before: ['s'] },
    { id: 's', status: 'open', after: ['t'] },
    { id: '.flip-t', status: 'done', after: ['t'] },
    { id: '.evaluate-t', status: 'open', after: ['t'] },
  ]);
}

const edges = async (g: SurgeryGraph) => edgesOf(await g.temp.store.summaries());

describe('the closure of wg reset', () => {
  // upstream: src/commands/reset.rs forward_closure_includes_seeds_and_downstream
  it('forward_closure_includes_seeds_and_downstream', async () => {
    expect(resetClosure(await edges(await writeChain()), ['t'], 'forward')).toEqual(['s', 't']);
  });

  // upstream: src/commands/reset.rs backward_closure_includes_seeds_and_upstream
  it('backward_closure_includes_seeds_and_upstream', async () => {
    expect(resetClosure(await edges(await writeChain()), ['t'], 'backward')).toEqual(['p', 't']);
  });

  // upstream: src/commands/reset.rs both_closure_includes_everything_reachable
  it('both_closure_includes_everything_reachable', async () => {
    expect(resetClosure(await edges(await writeChain()), ['t'], 'both')).toEqual(['p', 's', 't']);
  });

  // upstream: src/commands/reset.rs closure_skips_system_tasks
  it('closure_skips_system_tasks', async () => {
    const closure = resetClosure(await edges(await writeChain()), ['t'], 'both');
    expect(closure).not.toContain('.flip-t');
    expect(closure).not.toContain('.evaluate-t');
  });

  // upstream: src/commands/reset.rs meta_attached_to_closure_is_found
  it('meta_attached_to_closure_is_found', async () => {
    expect(metaAttachedTo(await edges(await writeChain()), ['t', 's'])).toEqual(['.evaluate-t', '.flip-t']);
  });

  it('follows the dependents of tasks made here, which keep no before list', async () => {
    const g = await setup([{ id: 'a' }]);
    await g.temp.store.tasks.add({ title: 'B', id: 'b', after: ['a'] }, 'user');
    expect(resetClosure(await edges(g), ['a'], 'forward')).toEqual(['a', 'b']);
  });

  // upstream: src/commands/reset.rs direction_parses_aliases
  it('direction_parses_aliases', () => {
    expect(parseDirection('forward')).toBe('forward');
    expect(parseDirection('down')).toBe('forward');
    expect(parseDirection('upstream')).toBe('backward');
    expect(parseDirection('both')).toBe('both');
    expect(parseDirection('sideways')).toBeNull();
  });
});

describe('wg reset', () => {
  // upstream: src/commands/reset.rs dry_run_mutates_nothing
  it('dry_run_mutates_nothing', async () => {
    const g = await writeChain();
    const rev = await g.temp.store.core.currentRev();
    const report = await g.run('task:reset', { seed: 't', alsoStripMeta: true, dryRun: true, yes: true });
    expect(report).toMatchObject({ closure: ['s', 't'], meta_to_strip: ['.evaluate-t', '.flip-t'], was_dry_run: true, reset_count: 0 });
    expect((await g.task('t')).status).toBe('failed');
    expect(await g.has('.flip-t')).toBe(true);
    expect(await g.has('.evaluate-t')).toBe(true);
    expect(await g.temp.store.core.currentRev()).toBe(rev);
  });

  // upstream: src/commands/reset.rs full_reset_clears_statuses_and_strips_meta
  it('full_reset_clears_statuses_and_strips_meta', async () => {
    const g = await writeChain();
    const report = await g.run('task:reset', { seed: 't', alsoStripMeta: true, yes: true });
    expect(report.reset_count).toBe(2);
    expect(report.stripped_count).toBe(2);
    const t = await g.task('t');
    expect(t.status).toBe('open');
    expect(t.failure_reason).toBeNull();
    expect(t.log.some((e) => e.message.includes('reset via'))).toBe(true);
    expect((await g.task('s')).status).toBe('open');
    expect(await g.has('.flip-t')).toBe(false);
    expect(await g.has('.evaluate-t')).toBe(false);
    expect((await g.task('p')).status).toBe('done');
    // t is ready again: p is done and nothing else holds it.
    expect((await g.temp.store.ready()).map((task) => task.id)).toEqual(['t']);
  });

  // upstream: src/commands/reset.rs refuses_multi_task_reset_without_yes
  it('refuses_multi_task_reset_without_yes', async () => {
    const g = await writeChain();
    await expect(g.run('task:reset', { seed: 't' })).rejects.toThrow('--yes');
    expect((await g.task('t')).status).toBe('failed');
  });

  // upstream: src/commands/reset.rs unknown_seed_errors_cleanly_without_mutation
  it('unknown_seed_errors_cleanly_without_mutation', async () => {
    const g = await writeChain();
    await expect(g.run('task:reset', { seed: 'nonexistent', dryRun: true })).rejects.toThrow('seed task(s) not found: nonexistent');
    expect((await g.task('t')).status).toBe('failed');
  });

  // upstream: src/commands/reset.rs reset_clears_assigned_field
  it('reset_clears_assigned_field', async () => {
    const g = await setup([{ id: 't', status: 'in-progress', assigned: 'agent-dead', started_at: '2026-04-27T00:00:00Z' }]);
    await g.run('task:reset', { seed: 't', yes: true });
    const t = await g.task('t');
    expect(t.status).toBe('open');
    expect(t.assigned).toBeNull();
    expect(t.started_at).toBeNull();
  });

  // upstream: src/commands/reset.rs reset_with_strip_meta_still_clears_assigned
  it('reset_with_strip_meta_still_clears_assigned', async () => {
    const g = await setup([
      { id: 'p', status: 'done', before: ['t'] },
      { id: 't', status: 'failed', after: ['p'], before: ['s'], assigned: 'agent-dead', started_at: '2026-04-27T00:00:00Z' },
      { id: 's', status: 'open', after: ['t'] },
      { id: '.flip-t', status: 'done', after: ['t'] },
      { id: '.evaluate-t', status: 'open', after: ['t'] },
    ]);
    await g.run('task:reset', { seed: 't', alsoStripMeta: true, yes: true });
    const t = await g.task('t');
    expect(t.assigned).toBeNull();
    expect(t.started_at).toBeNull();
    expect(await g.has('.flip-t')).toBe(false);
    expect(await g.has('.evaluate-t')).toBe(false);
  });

  // upstream: src/commands/reset.rs reset_on_unclaimed_task_is_noop_for_claim_fields
  it('reset_on_unclaimed_task_is_noop_for_claim_fields', async () => {
    const g = await setup([{ id: 't', status: 'failed' }]);
    await g.run('task:reset', { seed: 't', yes: true });
    expect(await g.task('t')).toMatchObject({ status: 'open', assigned: null, started_at: null });
  });

  // upstream: src/commands/reset.rs test_wg_reset_clears_stale_claims
  it('test_wg_reset_clears_stale_claims', async () => {
    const g = await setup([{ id: 'stuck', status: 'in-progress', assigned: 'agent-dead-1', started_at: '2026-01-01T00:00:00Z' }]);
    await g.run('task:reset', { seed: 'stuck', yes: true });
    expect(await g.task('stuck')).toMatchObject({ status: 'open', assigned: null, started_at: null });
    expect((await g.temp.store.ready()).map((t) => t.id)).toEqual(['stuck']);
  });

  it("says in the log what the task was and whose claim it cleared, in upstream's words", async () => {
    const g = await setup([{ id: 't', status: 'in-progress', assigned: 'agent-dead' }]);
    await g.run('task:reset', { seed: 't', yes: true });
    expect((await g.task('t')).log.at(-1)).toMatchObject({
      actor: 'reset',
      message: 'reset via `wg reset t`; was InProgress (cleared claim from @agent-dead)',
    });
  });

  it('ends the run still working on a reset task (the coordinator stops its process)', async () => {
    const g = await setup([{ id: 't' }]);
    await g.temp.store.tasks.claim('t', 'agent-3', 'coordinator');
    await g.temp.store.agents.insert(makeAgent({ id: 'agent-3', task_id: 't' }), null, 'run-3');
    await g.run('task:reset', { seed: 't', yes: true });
    expect(await g.temp.store.agents.get('agent-3')).toMatchObject({ state: 'killed' });
    expect(await g.task('t')).toMatchObject({ status: 'open', assigned: null });
  });

  it("audits the reset in upstream's operations log", async () => {
    const g = await writeChain();
    await g.run('task:reset', { seed: 't', seeds: ['s'], alsoStripMeta: true, yes: true });
    const path = operationsPath(g.wgDir);
    expect(existsSync(path)).toBe(true);
    const entry = JSON.parse(readFileSync(path, 'utf8').trim()) as Record<string, unknown>;
    expect(entry).toMatchObject({
      op: 'reset',
      actor: 'reset',
      detail: {
        seeds: ['t', 's'],
        direction: 'Forward',
        closure: ['s', 't'],
        meta_stripped: ['.evaluate-t', '.flip-t'],
        reset_count: 2,
        stripped_count: 2,
      },
    });
  });

  it('leaves stripped tasks out of graph.jsonl, and the edges that named them', async () => {
    const g = await writeChain();
    await g.run('task:reset', { seed: 't', alsoStripMeta: true, yes: true });
    const ids = (await g.temp.store.exportJsonl({ upstream: true }))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(['p', 't', 's']);
  });
});
