/**
 * Known ids first in their fixed order (a registry's: the talk's order of scenarios, docs/design.md's
 * order of transports), then any others alphabetically, so a table or chart lists ids the same way every time.
 */
export function orderIds(ids: Iterable<string>, known: readonly string[]): string[] {
  const set = new Set(ids);
  const first = known.filter((id) => set.has(id));
  const rest = [...set].filter((id) => !known.includes(id)).sort();
  return [...first, ...rest];
}
