import { describe, expect, it } from 'vitest';
import { peerArgs } from '../../../src/transports/common/peer-entry.js';
import { PendingReplies } from '../../../src/transports/common/pending-replies.js';
import { PrivateTempDir } from '../../../src/transports/common/temp-dir.js';
import { existsSync } from 'node:fs';

describe('peerArgs', () => {
  it('returns the named arguments in order and names the first one missing', () => {
    expect(peerArgs('chunked', ['/tmp/x/peer.sock', '1024', '64'], ['socket path', 'max message bytes', 'frame bytes'])).toEqual([
      '/tmp/x/peer.sock',
      '1024',
      '64',
    ]);
    expect(() => peerArgs('node-ipc', ['/tmp/x/server.sock'], ['socket path', 'server id'])).toThrow('node-ipc peer: missing argument 2 (server id)');
  });
});

describe('PendingReplies', () => {
  it('hands each reply to the exchange with its id and drops replies to finished ones', async () => {
    const replies = new PendingReplies<string>();
    const seen: number[] = [];
    const first = replies.withId(async (id, reply) => {
      seen.push(id);
      return `${id}:${await reply}`;
    });
    const second = replies.withId(async (id, reply) => {
      seen.push(id);
      return `${id}:${await reply}`;
    });
    replies.settle(2, 'b');
    replies.settle(1, 'a');
    expect(await Promise.all([first, second])).toEqual(['1:a', '2:b']);
    expect(seen).toEqual([1, 2]);
    // A late reply to a finished exchange finds no one (no throw), and a failed exchange frees its id.
    replies.settle(1, 'late');
    await expect(replies.withId(() => Promise.reject(new Error('peer gone')))).rejects.toThrow('peer gone');
  });
});

describe('PrivateTempDir.socket', () => {
  it('gives socket paths up to 107 bytes and refuses a longer one naming its length, and removedIfThrows removes the dir', async () => {
    const dir = PrivateTempDir.create('t');
    const room = 107 - Buffer.byteLength(dir.dir) - 1;
    expect(dir.socket('s'.repeat(room))).toHaveLength(107);
    expect(() => dir.socket('s'.repeat(room + 1))).toThrow(`is 108 bytes, above the 107 a Unix socket path may have: set TMPDIR to a shorter directory`);
    await expect(dir.removedIfThrows(() => dir.socket('s'.repeat(room + 1)))).rejects.toThrow('108 bytes');
    expect(existsSync(dir.dir)).toBe(false);
  });
});
