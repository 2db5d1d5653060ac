import type { AssignmentRecord, EvaluationRecord } from '../../shared/agency';
import type { StoreCore } from '../store/store-core';

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
    const result = await this.core
      .sql<{
        id: number;
      }>(`INSERT INTO evaluations (task_id, agent_id, role_id, tradeoff_id, score, dimensions, notes, evaluator, model, source, timestamp,
              upstream_id, upstream_file, loop_iteration)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
      .get(
        record.task_id,
        record.agent_id,
        record.role_id,
        record.tradeoff_id,
        record.score,
        JSON.stringify(record.dimensions),
        record.notes,
        record.evaluator,
        record.model,
        record.source,
        record.timestamp,
        record.upstream_id ?? null,
        record.upstream_file ?? null,
        record.loop_iteration ?? 0,
      );
    return (result as { id: number }).id;
  }

  async forTask(taskId: string): Promise<EvaluationRecord[]> {
    return (await this.core.sql<EvaluationRow>('SELECT * FROM evaluations WHERE task_id = ? ORDER BY id').all(taskId)).map(toRecord);
  }

  async all(): Promise<EvaluationRecord[]> {
    return (await this.core.sql<EvaluationRow>('SELECT * FROM evaluations ORDER BY id').all()).map(toRecord);
  }

  /** Those recorded after the one with row id `id`. */
  async after(id: number): Promise<EvaluationRecord[]> {
    return (await this.core.sql<EvaluationRow>('SELECT * FROM evaluations WHERE id > ? ORDER BY id').all(id)).map(toRecord);
  }

  /** An evaluation already imported (same task and moment) is not imported twice. */
  async has(taskId: string, timestamp: string): Promise<boolean> {
    return (await this.core.sql('SELECT 1 FROM evaluations WHERE task_id = ? AND timestamp = ?').get(taskId, timestamp)) !== undefined;
  }

  async assignment(taskId: string): Promise<AssignmentRecord | null> {
    return (await this.core.sql<AssignmentRecord>('SELECT * FROM agency_assignments WHERE task_id = ?').get(taskId)) ?? null;
  }

  async setAssignment(record: AssignmentRecord): Promise<void> {
    await this.core
      .sql(`INSERT INTO agency_assignments (task_id, agent_id, exec_mode, context_scope, reason, source, timestamp)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (task_id) DO UPDATE SET agent_id = excluded.agent_id, exec_mode = excluded.exec_mode,
              context_scope = excluded.context_scope, reason = excluded.reason, source = excluded.source, timestamp = excluded.timestamp`)
      .send(record.task_id, record.agent_id, record.exec_mode, record.context_scope, record.reason, record.source, record.timestamp);
  }

  async clearAssignment(taskId: string): Promise<void> {
    await this.core.sql('DELETE FROM agency_assignments WHERE task_id = ?').send(taskId);
  }
}
