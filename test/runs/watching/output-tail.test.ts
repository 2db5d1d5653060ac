import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutputParser } from '../../../src/core/runs/output/index';
import { MAX_LINE } from '../../../src/core/runs/output/plain';
import { readRunEvents } from '../../../src/core/run-folder/run-log';
import { OutputTail } from '../../../src/core/runs/watching/output-tail';
import { readTailPosition, runFiles, type RunFiles } from '../../../src/core/run-folder/run-files';

const root = mkdtempSync(join(tmpdir(), 'wg-runout-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function run(): RunFiles {
  const files = runFiles(join(root, `agent-${++n}`));
  mkdirSync(files.dir, { recursive: true });
  return files;
}
/** Every step until caught up (the monitor takes one step per turn of the event loop). */
function drainAll(tail: OutputTail, final = false): void {
  let step = tail.step(final);
  while (step.more) step = tail.step(final);
}

const texts = (files: RunFiles) =>
  readRunEvents(files.dir, 'a', 0, 1000).events.map((e) => ('text' in e.event ? `${e.event.type}:${e.event.text}` : e.event.type));

describe('the output tail', () => {
  it('consumes whole lines only, keeps stdout and stderr apart, and flushes the rest at the end', () => {
    const files = run();
    const tail = new OutputTail(files, createOutputParser('plain'), true);
    writeFileSync(files.stdout, 'one\ntw');
    writeFileSync(files.stderr, 'oops\n');
    drainAll(tail);
    expect(texts(files)).toEqual(['text:one', 'stderr:oops']);
    appendFileSync(files.stdout, 'o\nthr€');
    drainAll(tail);
    expect(readTailPosition(files)).toEqual({ stdout: 8, stderr: 5, events: 3 });
    appendFileSync(files.stdout, 'ee');
    drainAll(tail, true);
    tail.close();
    expect(texts(files)).toEqual(['text:one', 'stderr:oops', 'text:two', 'text:thr€ee']);
  });

  it('after a crash mid-batch, cuts the events past the saved position and parses them again: nothing lost, nothing twice', () => {
    const files = run();
    writeFileSync(files.stdout, 'a\nb\n');
    const first = new OutputTail(files, createOutputParser('plain'), true);
    drainAll(first);
    first.close();
    // The daemon wrote events for "c" and died before saving its position.
    appendFileSync(files.stdout, 'c\n');
    const position = readFileSync(files.tail, 'utf8');
    const crashed = new OutputTail(files, createOutputParser('plain'));
    drainAll(crashed);
    crashed.close();
    writeFileSync(files.tail, position);
    expect(texts(files)).toEqual(['text:a', 'text:b', 'text:c']);

    appendFileSync(files.stdout, 'd\n');
    const resumed = new OutputTail(files, createOutputParser('plain'));
    expect(resumed.total).toBe(2);
    drainAll(resumed, true);
    resumed.close();
    expect(texts(files)).toEqual(['text:a', 'text:b', 'text:c', 'text:d']);
  });

  it('reads output of any size a bounded step at a time: every line of a big output, and a huge line in bounded pieces', () => {
    const files = run();
    const lines = 200_000;
    writeFileSync(files.stdout, Array.from({ length: lines }, (_, i) => `line ${i}\n`).join(''));
    // One line of 3 MB, made of multi-byte characters, with no newline until its end.
    appendFileSync(files.stdout, `${'é'.repeat(1_500_000)}\nlast\n`);
    const tail = new OutputTail(files, createOutputParser('plain'), true);
    let steps = 0;
    let events = 0;
    let biggest = 0;
    for (;;) {
      const step = tail.step(true);
      steps++;
      events += step.events.length;
      for (const e of step.events) if (e.type === 'text') biggest = Math.max(biggest, e.text.length);
      if (!step.more) break;
    }
    tail.close();
    expect(steps).toBeGreaterThan(10);
    const all = readRunEvents(files.dir, 'a', 0, 1, Number.MAX_SAFE_INTEGER).total;
    expect(all).toBe(events);
    const page = readRunEvents(files.dir, 'a', lines - 1, 1).events[0]?.event;
    expect(page).toEqual({ type: 'text', text: `line ${lines - 1}` });
    const huge = readRunEvents(files.dir, 'a', lines, 100).events.map((e) => (e.event.type === 'text' ? e.event.text : ''));
    expect(huge.join('')).toBe(`${'é'.repeat(1_500_000)}last`);
    expect(huge.length).toBeGreaterThan(5);
    expect(biggest).toBeLessThanOrEqual(MAX_LINE);
  });
});
