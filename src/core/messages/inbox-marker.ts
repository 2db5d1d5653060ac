import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileNoFollow } from '../files/no-follow';
import { inboxMarker } from './delivery-hooks';

/**
 * Leaves the marker that wakes the task's agent's hook (delivery-hooks.ts), after the message is
 * committed. Only a hint: if it cannot be written, the agent's Stop hook and its own `wg msg read`
 * still find the message, so a failure here never fails the send.
 */
export function markInbox(serviceDir: string, taskId: string): void {
  const marker = inboxMarker(serviceDir, taskId);
  try {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileNoFollow(marker, '');
  } catch {
    // See above: the message itself is stored.
  }
}

/** Removes the marker before the hook reads, so a message sent during the read leaves a new one. */
export function takeInboxMarker(serviceDir: string, taskId: string): void {
  rmSync(inboxMarker(serviceDir, taskId), { force: true });
}
