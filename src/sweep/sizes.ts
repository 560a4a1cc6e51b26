// Which message sizes the sweep tries, and how sizes read in tables. Pure.

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;

/** The largest size --max-size accepts: beyond it a Buffer copy per side no longer fits comfortably. */
export const MAX_SIZE_LIMIT_BYTES = GIB;
export const DEFAULT_MAX_SIZE_BYTES = 256 * MIB;
export const QUICK_MAX_SIZE_BYTES = 16 * MIB;

/**
 * 1 KiB, 4 KiB, 16 KiB, ... up to maxBytes (steps of x4), plus 64 KiB - 1 and 64 KiB + 1, which
 * bracket the talk's "64k message size limit on Linux". Ascending, no duplicates.
 */
export function defaultSizes(maxBytes: number): number[] {
  const sizes = new Set<number>();
  for (let size = KIB; size <= maxBytes; size *= 4) sizes.add(size);
  for (const edge of [64 * KIB - 1, 64 * KIB + 1]) if (edge <= maxBytes) sizes.add(edge);
  return [...sizes].sort((a, b) => a - b);
}

const UNITS: [number, string][] = [
  [GIB, 'GiB'],
  [MIB, 'MiB'],
  [KIB, 'KiB'],
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'kB'],
];

/** "64 KiB", "64 KiB+1", "10 MB", "1000 B": exact, so a table column names the size actually sent. */
export function formatSize(bytes: number): string {
  for (const [unit, name] of UNITS) {
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit} ${name}`;
  }
  // A few bytes off a round size (the 64 KiB +- 1 probes): name the round size and the offset.
  for (const [unit, name] of UNITS) {
    const nearest = Math.round(bytes / unit);
    const offset = bytes - nearest * unit;
    if (nearest >= 1 && Math.abs(offset) <= 16) return `${nearest} ${name}${offset > 0 ? '+' : ''}${offset}`;
  }
  return `${bytes} B`;
}
