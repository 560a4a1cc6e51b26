// Number formatting for tables: fixed rules so the same results always give the same text.

/** Milliseconds with precision that fits the magnitude: 0.93, 12.4, 3380. */
export function formatMs(ms: number): string {
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** Three significant figures at most, no exponent: 0.012, 1.90, 64.2, 1150. */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

const BINARY = ['B', 'KiB', 'MiB', 'GiB'] as const;

/**
 * Sizes in binary units: 1024 -> "1 KiB", 65536 -> "64 KiB", 10485760 -> "10 MiB", 1500 -> "1.46 KiB".
 * A few bytes off a round size (the sweep's 64 KiB +- 1 probes) says so: 65537 -> "64 KiB+1", so
 * the columns either side of a limit do not both read "64.0 KiB".
 */
export function formatBytes(bytes: number): string {
  for (let unit = BINARY.length - 1; unit >= 1; unit--) {
    const size = 1024 ** unit;
    const nearest = Math.round(bytes / size);
    const offset = bytes - nearest * size;
    if (nearest >= 1 && offset !== 0 && Math.abs(offset) <= 16) return `${nearest} ${BINARY[unit]}${offset > 0 ? '+' : ''}${offset}`;
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BINARY.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = Number.isInteger(value) ? String(value) : formatNumber(value);
  return `${text} ${BINARY[unit]}`;
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Escape a free-text cell (error messages) for a markdown table. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
