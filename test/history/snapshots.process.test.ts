import { snapshotCases } from './support/snapshot-cases';

/** `wg runs` in a folder upstream also uses: its graph.jsonl is synced under upstream's lock, taken by flock(1). */
snapshotCases(['upstream']);
