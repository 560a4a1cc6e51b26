import { describe, expect, it } from 'vitest';
import { renderProgressLine } from '../../src/load/progress.js';

describe('renderProgressLine', () => {
  it('fills the bar by the share of the phase done and counts whole seconds', () => {
    expect(renderProgressLine({ elapsedMs: 2500, answered: 125, errors: 1 }, 10_000)).toBe(
      `[${'='.repeat(8)}${' '.repeat(22)}] 2/10 s  125 answered  1 errors`,
    );
  });

  it('stays full at the phase length while answers drain after it', () => {
    expect(renderProgressLine({ elapsedMs: 10_400, answered: 500, errors: 0 }, 10_000)).toBe(`[${'='.repeat(30)}] 10/10 s  500 answered  0 errors`);
  });
});
