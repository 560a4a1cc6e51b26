import { createRandom } from './random.js';
import { generateStation } from './stations.js';
import type { DiffCounts, Station } from './types.js';

/** How a change share splits: a quarter added, a quarter deleted, the rest changed. */
export function plannedCounts(baselineSize: number, changeShare: number): DiffCounts {
  const total = Math.round(baselineSize * changeShare);
  const added = Math.round(total * 0.25);
  const deleted = Math.round(total * 0.25);
  const changed = total - added - deleted;
  return { added, deleted, changed, unchanged: baselineSize - deleted - changed };
}

/**
 * The incoming data set of an import: the baseline with a share of its records changed or deleted
 * and new ones added. Deterministic from the seed.
 */
export function makeIncoming(baseline: readonly Station[], changeShare: number, seed: number): Station[] {
  const planned = plannedCounts(baseline.length, changeShare);
  const random = createRandom(seed);
  // Partial Fisher-Yates: the first deleted+changed positions of a shuffled index list.
  const order = Array.from({ length: baseline.length }, (_, i) => i);
  const touched = planned.deleted + planned.changed;
  for (let i = 0; i < touched; i++) {
    const j = i + Math.floor(random() * (order.length - i));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const deleted = new Set(order.slice(0, planned.deleted));
  const changed = new Set(order.slice(planned.deleted, touched));

  const incoming: Station[] = [];
  baseline.forEach((station, index) => {
    if (deleted.has(index)) return;
    if (changed.has(index)) {
      incoming.push({ ...station, name: `${station.name} (neu)`, platforms: station.platforms + 1 });
    } else {
      incoming.push(station);
    }
  });
  const maxId = baseline.reduce((max, s) => Math.max(max, s.id), 0);
  for (let i = 1; i <= planned.added; i++) incoming.push(generateStation(maxId + i, random));
  return incoming;
}
