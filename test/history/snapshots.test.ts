import { snapshotCases } from './support/snapshot-cases';

/** `wg runs` in one of this app's own folders (graph.db only), in-process. */
snapshotCases(['own']);
