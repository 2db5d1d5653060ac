/**
 * Array tests whose answer is awaited (a read of the store): asked of every item at once, so reads that do not depend
 * on one another travel together (one round trip on PostgreSQL), and answered in the array's order.
 */
async function answers<T>(items: readonly T[], test: (item: T, index: number) => Promise<boolean>): Promise<boolean[]> {
  return Promise.all(items.map((item, index) => test(item, index)));
}

export async function filterAsync<T>(items: readonly T[], test: (item: T, index: number) => Promise<boolean>): Promise<T[]> {
  const kept = await answers(items, test);
  return items.filter((_, index) => kept[index]);
}

export async function someAsync<T>(items: readonly T[], test: (item: T, index: number) => Promise<boolean>): Promise<boolean> {
  return (await answers(items, test)).some(Boolean);
}

export async function everyAsync<T>(items: readonly T[], test: (item: T, index: number) => Promise<boolean>): Promise<boolean> {
  return (await answers(items, test)).every(Boolean);
}

export async function findAsync<T>(items: readonly T[], test: (item: T, index: number) => Promise<boolean>): Promise<T | undefined> {
  const found = await answers(items, test);
  return items.find((_, index) => found[index]);
}
