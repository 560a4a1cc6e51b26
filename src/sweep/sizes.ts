// Which message sizes the sweep tries. Pure. (How a size reads: formatSize in src/format/numbers.ts.)

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;

/** The largest size --max-size accepts: beyond it a Buffer copy per side no longer fits comfortably. */
export const MAX_SIZE_LIMIT_BYTES = GIB;
export const DEFAULT_MAX_SIZE_BYTES = 256 * MIB;
export const QUICK_MAX_SIZE_BYTES = MIB;

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
