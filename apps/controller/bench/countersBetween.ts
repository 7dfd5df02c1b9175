/** What each counter of a snapshot grew by between two snapshots of the same counters. */
export function countersBetween<T extends { [K in keyof T]: number }>(before: T, after: T): T {
  const grown = { ...after };
  for (const name of Object.keys(after) as (keyof T)[]) {
    grown[name] = (after[name] - before[name]) as T[keyof T];
  }
  return grown;
}
