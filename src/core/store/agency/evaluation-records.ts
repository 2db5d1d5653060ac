import { sql } from 'kysely';
import type { AssignmentRecord, EvaluationRecord } from '../../../shared/agency';
import type { StoreCore } from '../store-core';

interface EvaluationRow extends Omit<EvaluationRecord, 'dimensions'> {
  dimensions: string;
}

const toRecord = (row: EvaluationRow): EvaluationRecord => ({ ...row, dimensions: JSON.parse(row.dimensions) as Record<string, number> });

/** The history of evaluations and how each task got its identity. Writes belong inside a caller's transaction. */
export class EvaluationRecords {
  constructor(private readonly core: StoreCore) {}

  async insert(
    record: Omit<EvaluationRecord, 'id' | 'upstream_id' | 'upstream_file' | 'loop_iteration'> &
      Partial<Pick<EvaluationRecord, 'upstream_id' | 'upstream_file' | 'loop_iteration'>>,
  ): Promise<number> {
    const result = await this.core.get(
      this.core.build
        .insertInto('evaluations')
        .values({
          task_id: record.task_id,
          agent_id: record.agent_id,
          role_id: record.role_id,
          tradeoff_id: record.tradeoff_id,
          score: record.score,
          dimensions: JSON.stringify(record.dimensions),
          notes: record.notes,
          evaluator: record.evaluator,
          model: record.model,
          source: record.source,
          timestamp: record.timestamp,
          upstream_id: record.upstream_id ?? null,
          upstream_file: record.upstream_file ?? null,
          loop_iteration: record.loop_iteration ?? 0,
        })
        .returning('id'),
    );
    return (result as { id: number }).id;
  }

  async forTask(taskId: string): Promise<EvaluationRecord[]> {
    return (await this.core.all(this.core.build.selectFrom('evaluations').selectAll().where('task_id', '=', taskId).orderBy('id'))).map(
      toRecord,
    );
  }

  async all(): Promise<EvaluationRecord[]> {
    return (await this.core.all(this.core.build.selectFrom('evaluations').selectAll().orderBy('id'))).map(toRecord);
  }

  /** Those recorded after the one with row id `id`. */
  async after(id: number): Promise<EvaluationRecord[]> {
    return (await this.core.all(this.core.build.selectFrom('evaluations').selectAll().where('id', '>', id).orderBy('id'))).map(toRecord);
  }

  /** An evaluation already imported (same task and moment) is not imported twice. */
  async has(taskId: string, timestamp: string): Promise<boolean> {
    return (
      (await this.core.get(
        this.core.build
          .selectFrom('evaluations')
          .select(sql.lit(1).as('one'))
          .where('task_id', '=', taskId)
          .where('timestamp', '=', timestamp),
      )) !== undefined
    );
  }

  async assignment(taskId: string): Promise<AssignmentRecord | null> {
    return (
      (await this.core.get(
        this.core.build.selectFrom('agency_assignments').selectAll().where('task_id', '=', taskId).$castTo<AssignmentRecord>(),
      )) ?? null
    );
  }

  async setAssignment(record: AssignmentRecord): Promise<void> {
    const { task_id, agent_id, exec_mode, context_scope, reason, source, timestamp } = record;
    await this.core.send(
      this.core.build
        .insertInto('agency_assignments')
        .values({ task_id, agent_id, exec_mode, context_scope, reason, source, timestamp })
        .onConflict((oc) =>
          oc.column('task_id').doUpdateSet((eb) => ({
            agent_id: eb.ref('excluded.agent_id'),
            exec_mode: eb.ref('excluded.exec_mode'),
            context_scope: eb.ref('excluded.context_scope'),
            reason: eb.ref('excluded.reason'),
            source: eb.ref('excluded.source'),
            timestamp: eb.ref('excluded.timestamp'),
          })),
        ),
    );
  }

  async clearAssignment(taskId: string): Promise<void> {
    await this.core.send(this.core.build.deleteFrom('agency_assignments').where('task_id', '=', taskId));
  }
}
