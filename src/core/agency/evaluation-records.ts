import type { AssignmentRecord, EvaluationRecord } from '../../shared/agency';
import type { StoreCore } from '../store/store-core';

interface EvaluationRow extends Omit<EvaluationRecord, 'dimensions'> {
  dimensions: string;
}

const toRecord = (row: EvaluationRow): EvaluationRecord => ({ ...row, dimensions: JSON.parse(row.dimensions) as Record<string, number> });

/** The history of evaluations and how each task got its identity. Writes belong inside a caller's transaction. */
export class EvaluationRecords {
  constructor(private readonly core: StoreCore) {}

  insert(
    record: Omit<EvaluationRecord, 'id' | 'upstream_id' | 'upstream_file' | 'loop_iteration'> &
      Partial<Pick<EvaluationRecord, 'upstream_id' | 'upstream_file' | 'loop_iteration'>>,
  ): number {
    const result = this.core
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

  forTask(taskId: string): EvaluationRecord[] {
    return this.core.sql<EvaluationRow>('SELECT * FROM evaluations WHERE task_id = ? ORDER BY id').all(taskId).map(toRecord);
  }

  all(): EvaluationRecord[] {
    return this.core.sql<EvaluationRow>('SELECT * FROM evaluations ORDER BY id').all().map(toRecord);
  }

  /** Those recorded after the one with row id `id`. */
  after(id: number): EvaluationRecord[] {
    return this.core.sql<EvaluationRow>('SELECT * FROM evaluations WHERE id > ? ORDER BY id').all(id).map(toRecord);
  }

  /** An evaluation already imported (same task and moment) is not imported twice. */
  has(taskId: string, timestamp: string): boolean {
    return this.core.sql('SELECT 1 FROM evaluations WHERE task_id = ? AND timestamp = ?').get(taskId, timestamp) !== undefined;
  }

  assignment(taskId: string): AssignmentRecord | null {
    return this.core.sql<AssignmentRecord>('SELECT * FROM agency_assignments WHERE task_id = ?').get(taskId) ?? null;
  }

  setAssignment(record: AssignmentRecord): void {
    this.core
      .sql(`INSERT INTO agency_assignments (task_id, agent_id, exec_mode, context_scope, reason, source, timestamp)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (task_id) DO UPDATE SET agent_id = excluded.agent_id, exec_mode = excluded.exec_mode,
              context_scope = excluded.context_scope, reason = excluded.reason, source = excluded.source, timestamp = excluded.timestamp`)
      .run(record.task_id, record.agent_id, record.exec_mode, record.context_scope, record.reason, record.source, record.timestamp);
  }

  clearAssignment(taskId: string): void {
    this.core.sql('DELETE FROM agency_assignments WHERE task_id = ?').run(taskId);
  }
}
