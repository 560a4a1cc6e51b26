import { describe, expect, it } from 'vitest';
import { parseImportParams, parseStationId } from '../../src/server/params.js';

const query = (q: string): URLSearchParams => new URLSearchParams(q);

describe('import parameters', () => {
  it('fills defaults and accepts valid values', () => {
    expect(parseImportParams(query(''), 500)).toEqual({
      ok: true,
      value: { records: 500, changes: 0.1, seed: 1, workPerRecord: 5000 },
    });
    expect(parseImportParams(query('records=10&changes=0.5&seed=7&work=0'), 500)).toEqual({
      ok: true,
      value: { records: 10, changes: 0.5, seed: 7, workPerRecord: 0 },
    });
  });

  it.each([
    ['records=-1', 'records must be an integer from 1 to 1000000 (got "-1")'],
    ['records=abc', 'records must be an integer from 1 to 1000000 (got "abc")'],
    ['records=99999999999', 'records must be an integer from 1 to 1000000 (got "99999999999")'],
    ['records=1.5', 'records must be an integer from 1 to 1000000 (got "1.5")'],
    ['changes=2', 'changes must be a share from 0 to 1 (got "2")'],
    ['changes=-0.1', 'changes must be a share from 0 to 1 (got "-0.1")'],
    ['seed=x', 'seed must be an integer from 0 to 4294967295 (got "x")'],
    ['work=1e9', 'work must be an integer from 0 to 1000000 (got "1e9")'],
    ['record=10', 'unknown parameter "record"; accepted: records, changes, seed, work'],
    ['records=10&records=20', 'parameter "records" given more than once'],
  ])('rejects %s with 400', (q, message) => {
    expect(parseImportParams(query(q), 500)).toEqual({ ok: false, status: 400, message });
  });
});

describe('station id', () => {
  it('accepts 1..count, 404 beyond, 400 for non-numbers', () => {
    expect(parseStationId('1', 10)).toEqual({ ok: true, value: 1 });
    expect(parseStationId('10', 10)).toEqual({ ok: true, value: 10 });
    expect(parseStationId('11', 10)).toEqual({ ok: false, status: 404, message: 'no station 11: ids run from 1 to 10' });
    expect(parseStationId('0', 10)).toEqual({ ok: false, status: 404, message: 'no station 0: ids run from 1 to 10' });
    expect(parseStationId('-3', 10)).toEqual({
      ok: false,
      status: 400,
      message: 'station id must be a positive integer (got "-3")',
    });
    expect(parseStationId('9'.repeat(30), 10).ok).toBe(false);
  });
});
