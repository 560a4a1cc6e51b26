// Axis pieces shared by the charts: log axes that label only 1-2-5 steps (so labels never collide)
// and byte-size axes ticked at powers of four (1 KiB, 4 KiB, 16 KiB, ...).
import type { Scale } from 'chart.js';
import { formatBytes } from '../format/numbers.js';

export const CHART_SIZE = { widthPx: 1200, heightPx: 600 } as const;
export const TIMELINE_SIZE = { widthPx: 1200, heightPx: 420 } as const;

/** True for 1, 2 or 5 times a power of ten (within rounding). */
function isOneTwoFive(value: number): boolean {
  const m = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return [1, 2, 5].some((step) => Math.abs(m - step) < 1e-6);
}

function isPowerOfTen(value: number): boolean {
  return Math.abs(Math.log10(value) - Math.round(Math.log10(value))) < 1e-9;
}

/**
 * Tick label for a log axis: 1, 2 and 5 times a power of ten, or only powers of ten when the axis
 * spans more than three decades (more labels would crowd a short axis).
 */
export function logTickLabel(value: number | string, _index = 0, ticks: { value: number }[] = []): string {
  const v = Number(value);
  const values = ticks.map((t) => t.value).filter((t) => t > 0);
  const decades = values.length > 1 ? Math.log10(Math.max(...values) / Math.min(...values)) : 0;
  if (!(v > 0) || !(decades > 3 ? isPowerOfTen(v) : isOneTwoFive(v))) return '';
  return v >= 1 ? String(Math.round(v)) : String(Number(v.toPrecision(1)));
}

/** A power of ten clearly below the smallest value, so the smallest bar or point stays visible. */
export function logFloor(values: number[], marginFactor = 0.9): number | undefined {
  const positive = values.filter((v) => v > 0);
  return positive.length > 0 ? 10 ** Math.floor(Math.log10(Math.min(...positive) * marginFactor)) : undefined;
}

/** A power of ten at or above the largest value. */
export function logCeil(values: number[]): number | undefined {
  const positive = values.filter((v) => v > 0);
  return positive.length > 0 ? 10 ** Math.ceil(Math.log10(Math.max(...positive))) : undefined;
}

export function logAxis(title: string, min?: number, max?: number) {
  return {
    type: 'logarithmic' as const,
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
    title: { display: true, text: title },
    ticks: { callback: logTickLabel, autoSkip: false },
  };
}

/** Log axis of message sizes in bytes from the smallest to the largest size, ticked at powers of four. */
export function sizeAxis(sizesBytes: number[], title = 'message size (bytes, log scale)') {
  const positive = sizesBytes.filter((s) => s > 0);
  // A little room either side, so markers at the first and last size are not cut in half.
  const range = positive.length > 0 ? { min: Math.min(...positive) / 1.5, max: Math.max(...positive) * 1.5 } : {};
  return {
    type: 'logarithmic' as const,
    ...range,
    title: { display: true, text: title },
    afterBuildTicks: (scale: Scale) => {
      const ticks: { value: number }[] = [];
      for (let v = 4 ** Math.floor(Math.log(scale.min) / Math.log(4) + 1e-9); v <= scale.max; v *= 4) {
        if (v >= scale.min) ticks.push({ value: v });
      }
      scale.ticks = ticks;
    },
    ticks: { callback: (value: number | string) => formatBytes(Number(value)), autoSkip: false },
  };
}
