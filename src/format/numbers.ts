// Every number, duration and size the project prints (terminal tables, REPORT.md, chart axes), with
// fixed rules so the same results always give the same text.

/** Milliseconds as a bare number with precision that fits the magnitude: 0.93, 12.4, 3380. */
export function formatMs(ms: number): string {
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** A duration with its unit, for sentences and terminal tables: "4.00 ms", "3380 ms", "12.3 s". */
export function formatDurationMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${formatMs(ms)} ms`;
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

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
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

const EXACT_UNITS: [number, string][] = [
  [1024 ** 3, 'GiB'],
  [1024 ** 2, 'MiB'],
  [1024, 'KiB'],
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'kB'],
];

/**
 * A size exactly as the command line takes it: "64 KiB", "64 KiB+1", "10 MB", "1000 B". Unlike
 * formatBytes it never rounds, so a column or an error message names the size actually sent or typed
 * (decimal units included: 10MB on the command line reads "10 MB", not "9.54 MiB").
 */
export function formatSize(bytes: number): string {
  for (const [unit, name] of EXACT_UNITS) {
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit} ${name}`;
  }
  // A few bytes off a round size (the 64 KiB +- 1 probes): name the round size and the offset.
  for (const [unit, name] of EXACT_UNITS) {
    const nearest = Math.round(bytes / unit);
    const offset = bytes - nearest * unit;
    if (nearest >= 1 && Math.abs(offset) <= 16) return `${nearest} ${name}${offset > 0 ? '+' : ''}${offset}`;
  }
  return `${bytes} B`;
}
