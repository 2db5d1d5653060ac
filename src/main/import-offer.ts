/**
 * Opening a folder that upstream workgraph already uses (its `.workgraph/graph.jsonl`) offers to
 * import that graph, once: only while this app's graph is still empty, and never again for a
 * folder where the user said not to.
 */
export function shouldOfferImport(input: { upstreamGraph: string | null; taskCount: number; declined: boolean }): boolean {
  return input.upstreamGraph !== null && input.taskCount === 0 && !input.declined;
}

export function importSummary(result: { imported: number; updated: number }): string {
  const parts = [`${result.imported} ${result.imported === 1 ? 'task' : 'tasks'} imported`];
  if (result.updated > 0) parts.push(`${result.updated} updated`);
  return parts.join(', ');
}
