import { DELIVERY_STATUSES, type DeliveryStatus, type Message } from '../../shared/message';
import type { FileLine, FileMessage } from './message-files';

/*
 * A task's messages as upstream's file has them and as graph.db has them, made one set. Messages
 * are only ever added, and a status only moves forward (sent, delivered, read, acknowledged), so no
 * base version is needed: a message either side lacks goes to it, and each message takes the
 * further of its two statuses. A message is the same on both sides when its id, sender and body
 * are; an id the file gives another message (a message sent here while the file could not be
 * locked, then one sent by upstream) moves this app's message to the next free id.
 */

const rank = (status: DeliveryStatus) => DELIVERY_STATUSES.indexOf(status);

interface StatusChange {
  id: number;
  status: DeliveryStatus;
  read_at?: string;
}

export interface MessagePlan {
  /** The file's messages graph.db lacks. */
  toStore: FileMessage[];
  /** graph.db's messages the file has further along. */
  storeUpgrades: StatusChange[];
  /** graph.db's messages whose id the file gives another message, and their new ids. */
  renumber: Array<{ from: number; to: number }>;
  /** graph.db's messages the file lacks, with their ids after renumbering, in id order. */
  toFile: Message[];
  /** The file's lines with statuses moved forward to graph.db's, when any moved (the file is rewritten); else null. */
  upgradedLines: string[] | null;
}

function same(file: FileMessage, stored: Message): boolean {
  return file.sender === stored.sender && file.body === stored.body;
}

/** The file's line for a message moved forward to `change`, every other field as it was. */
function upgradedLine(message: FileMessage, change: StatusChange): string {
  const line: Record<string, unknown> = { ...message.line, status: change.status };
  if (change.read_at !== undefined) line.read_at = change.read_at;
  return JSON.stringify(line);
}

export function planMessages(lines: readonly FileLine[], stored: readonly Message[]): MessagePlan {
  const fileById = new Map<number, FileMessage>();
  for (const { message } of lines) if (message && !fileById.has(message.id)) fileById.set(message.id, message);
  const storedIds = new Set(stored.map((m) => m.id));
  let next = Math.max(0, ...fileById.keys(), ...storedIds) + 1;

  const storeUpgrades: StatusChange[] = [];
  const fileUpgrades = new Map<number, StatusChange>();
  const renumber: MessagePlan['renumber'] = [];
  const toFile: Message[] = [];
  for (const message of stored) {
    const file = fileById.get(message.id);
    if (file === undefined) {
      toFile.push(message);
    } else if (!same(file, message)) {
      const to = next++;
      renumber.push({ from: message.id, to });
      toFile.push({ ...message, id: to });
    } else if (rank(file.status) > rank(message.status)) {
      const read_at = message.read_at ?? file.read_at;
      storeUpgrades.push({ id: message.id, status: file.status, ...(read_at !== undefined ? { read_at } : {}) });
    } else if (rank(message.status) > rank(file.status)) {
      const read_at = file.read_at ?? message.read_at;
      fileUpgrades.set(message.id, { id: message.id, status: message.status, ...(read_at !== undefined ? { read_at } : {}) });
    }
  }
  const moved = new Set(renumber.map((r) => r.from));
  const toStore = [...fileById.values()].filter((m) => !storedIds.has(m.id) || moved.has(m.id));
  toFile.sort((a, b) => a.id - b.id);

  let upgradedLines: string[] | null = null;
  if (fileUpgrades.size > 0) {
    const done = new Set<number>();
    upgradedLines = lines.map(({ text, message }) => {
      const change = message && !done.has(message.id) ? fileUpgrades.get(message.id) : undefined;
      if (!message || !change) return text;
      done.add(message.id);
      return upgradedLine(message, change);
    });
  }
  return { toStore, storeUpgrades, renumber, toFile, upgradedLines };
}
