import { describe, expect, it } from 'vitest';
import { replyPayload } from '../../../src/transports/common/envelope-parent.js';
import { decodeEnvelope, encodeEnvelope, headerFrom, jobFrom } from '../../../src/transports/common/envelope.js';
import { TransportError, type Payload } from '../../../src/transports/types.js';

/** A whole envelope: [uint32 BE header length][header JSON as given][body]. */
function message(headerJson: string, body = Buffer.alloc(0)): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(Buffer.byteLength(headerJson), 0);
  return Buffer.concat([prefix, Buffer.from(headerJson), body]);
}

describe('encodeEnvelope / decodeEnvelope', () => {
  it('writes [uint32 BE header length][header JSON][body], the body a part of its own, and reads it back', () => {
    const bytes = Buffer.from('abc');
    const { parts, sizeBytes } = encodeEnvelope({ type: 'reply', payloadKind: 'bytes', peakRssBytes: 7 }, { kind: 'bytes', bytes });
    const json = '{"type":"reply","payloadKind":"bytes","peakRssBytes":7}';
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe(bytes);
    expect(Buffer.concat(parts)).toEqual(message(json, bytes));
    expect(sizeBytes).toBe(4 + json.length + 3);
    expect(decodeEnvelope(Buffer.concat(parts))).toEqual({
      header: { type: 'reply', payloadKind: 'bytes', peakRssBytes: 7 },
      payload: { kind: 'bytes', bytes: Buffer.from('abc') },
    });
  });

  it('decodes an error envelope without a payload, and records as JSON', () => {
    expect(decodeEnvelope(message('{"type":"error","message":"boom","peakRssBytes":1}'))).toEqual({
      header: { type: 'error', message: 'boom', peakRssBytes: 1 },
      payload: null,
    });
    const records = decodeEnvelope(message('{"type":"request","job":{"kind":"echo"},"payloadKind":"records"}', Buffer.from('[]')));
    expect(records).toEqual({ header: { type: 'request', job: { kind: 'echo' }, payloadKind: 'records' }, payload: { kind: 'records', records: [] } });
  });

  it('hands over a rebuilt header and job, not what JSON.parse made (fields in their own order, extras dropped)', () => {
    const request = decodeEnvelope(message('{"payloadKind":"bytes","x":1,"job":{"x":2,"kind":"echo"},"type":"request"}', Buffer.from('z')));
    expect(Object.keys(request.header)).toEqual(['type', 'job', 'payloadKind']);
    expect(request.header).toEqual({ type: 'request', job: { kind: 'echo' }, payloadKind: 'bytes' });
  });

  it('says what is wrong with a header that is not JSON', () => {
    expect(() => decodeEnvelope(message('{"type":'))).toThrow(/^malformed message: header of 8 bytes is not JSON \(.+\)$/);
  });
});

describe('jobFrom', () => {
  it('rebuilds each job from its own literal, unknown fields dropped', () => {
    expect(jobFrom({ kind: 'echo', extra: 1 })).toEqual({ kind: 'echo' });
    expect(jobFrom({ kind: 'collect' })).toEqual({ kind: 'collect' });
    const diff = jobFrom({ workPerRecord: 3, baselineSeed: 2, kind: 'diff', baselineRecords: 1 });
    expect(Object.keys(diff)).toEqual(['kind', 'baselineRecords', 'baselineSeed', 'workPerRecord']);
    expect(diff).toEqual({ kind: 'diff', baselineRecords: 1, baselineSeed: 2, workPerRecord: 3 });
  });
});

describe('headerFrom', () => {
  it('rebuilds the header from its own literal: the fields in one order whatever the wire had, unknown ones dropped', () => {
    const parsed = JSON.parse('{"peakRssBytes":3,"extra":true,"payloadKind":"bytes","type":"reply"}') as unknown;
    const header = headerFrom(parsed);
    expect(header).not.toBe(parsed);
    expect(Object.keys(header)).toEqual(['type', 'payloadKind', 'peakRssBytes']);
    expect(header).toEqual({ type: 'reply', payloadKind: 'bytes', peakRssBytes: 3 });
    expect(Object.keys(headerFrom({ payloadKind: 'diff', job: { kind: 'collect' }, type: 'request' }))).toEqual(['type', 'job', 'payloadKind']);
    expect(Object.keys(headerFrom({ peakRssBytes: 0, message: 'm', type: 'error' }))).toEqual(['type', 'message', 'peakRssBytes']);
  });

  it('refuses a header that is not one of the three, naming what is wrong', () => {
    const cases: [unknown, string][] = [
      [null, 'malformed message: header is not a JSON object'],
      [[1], 'malformed message: header is not a JSON object'],
      ['reply', 'malformed message: header is not a JSON object'],
      [{ type: 'hello' }, 'malformed message: unknown header type "hello"'],
      [{}, 'malformed message: unknown header type undefined'],
      [{ type: 'reply', payloadKind: 'gzip', peakRssBytes: 1 }, 'malformed message: unknown payload kind "gzip"'],
      [{ type: 'reply', payloadKind: 'bytes' }, 'malformed message: peakRssBytes undefined is not a number'],
      [{ type: 'reply', payloadKind: 'bytes', peakRssBytes: '1' }, 'malformed message: peakRssBytes "1" is not a number'],
      [{ type: 'error', peakRssBytes: 1 }, 'malformed message: error without a message'],
      [{ type: 'request', payloadKind: 'bytes' }, 'malformed message: unknown job undefined'],
      [{ type: 'request', job: { seed: 1 }, payloadKind: 'bytes' }, 'malformed message: unknown job {"seed":1}'],
      [{ type: 'request', job: { kind: 'diff', baselineRecords: 1 }, payloadKind: 'records' }, 'malformed message: a diff job needs baselineRecords, baselineSeed and workPerRecord as numbers'],
    ];
    for (const [parsed, error] of cases) expect(() => headerFrom(parsed), JSON.stringify(parsed)).toThrow(new Error(error));
  });
});

describe('replyPayload (the parent side of raw-socket and chunked)', () => {
  const peaks: number[] = [];
  const notePeak = (bytes: number): void => void peaks.push(bytes);

  it('hands back the payload and notes the peak RSS the reply carried', () => {
    peaks.length = 0;
    expect(replyPayload(message('{"type":"reply","payloadKind":"bytes","peakRssBytes":7}', Buffer.from('ok')), 42, notePeak)).toEqual({ kind: 'bytes', bytes: Buffer.from('ok') });
    expect(peaks).toEqual([7]);
  });

  it("an error envelope is the peer's error (its peak noted too); a message that does not decode is corrupted", () => {
    peaks.length = 0;
    const failed = (): Payload => replyPayload(message('{"type":"error","message":"boom","peakRssBytes":9}'), 42, notePeak);
    expect(failed).toThrow(new TransportError('error', 'peer 42: boom'));
    expect(failed).toThrow(expect.objectContaining({ kind: 'error' }) as Error);
    expect(peaks).toEqual([9, 9]); // noted once per call, before the throw
    const garbage = (): Payload => replyPayload(message('{"type":"reply","payloadKind":"gzip","peakRssBytes":1}'), 42, notePeak);
    expect(garbage).toThrow(new TransportError('corrupted', 'reply from peer 42: malformed message: unknown payload kind "gzip"'));
    expect(() => garbage()).toThrow(expect.objectContaining({ kind: 'corrupted' }) as Error);
    expect(peaks).toEqual([9, 9]); // nothing noted from a reply that does not decode
  });
});
