/** Runs `task` over `items` with at most `parallelism` in flight (workers taking the next item). */
export async function inParallel<T>(
  items: readonly T[],
  parallelism: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallelism, items.length) }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}
