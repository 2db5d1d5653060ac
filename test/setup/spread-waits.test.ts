import { describe, expect, it } from 'vitest';
import { inRuns, spreadOut } from './spread-waits';

describe('the order test files reach the workers', () => {
  const rest = Array.from({ length: 100 }, (_, i) => `f${i}`);

  it('starts the waiting files one by one over the first half of the run, the first at once, keeping both orders', () => {
    const waits = ['w0', 'w1', 'w2', 'w3', 'w4'];
    const order = spreadOut(rest, waits);
    expect(order).toHaveLength(105);
    expect(order.filter((file) => file.startsWith('w'))).toEqual(waits);
    expect(order.filter((file) => file.startsWith('f'))).toEqual(rest);
    const at = waits.map((file) => order.indexOf(file));
    expect(at[0]).toBe(0);
    // Ten others between two waiting ones, and none of them in the second half.
    expect(at.slice(1).map((position, i) => position - (at[i] as number) - 1)).toEqual([10, 10, 10, 10]);
    expect(Math.max(...at)).toBeLessThan(order.length / 2);
  });

  it('puts more waiting files than others one after another, and leaves an order without any as it is', () => {
    expect(spreadOut(['a', 'b'], ['w0', 'w1', 'w2'])).toEqual(['w0', 'a', 'w1', 'b', 'w2']);
    expect(spreadOut(rest, [])).toEqual(rest);
  });

  it('groups files a worker can run one after another (one project and environment), each group where its first file was', () => {
    const files = ['unit node a', 'unit dom b', 'unit node c', 'browser node d', 'unit dom e', 'unit node f'];
    const key = (file: string) => file.split(' ').slice(0, 2).join(' ');
    expect(inRuns(files, key)).toEqual([['unit node a', 'unit node c', 'unit node f'], ['unit dom b', 'unit dom e'], ['browser node d']]);
    expect(inRuns([], key)).toEqual([]);
  });
});
