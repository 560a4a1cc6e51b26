import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { lengthPrefix, LengthPrefixedReader } from '../../../src/transports/raw-socket/framing.js';
import { connectReadingInPlace, listen } from '../../../src/transports/common/in-place-link/socket.js';
import { FramingError, TruncatedError } from '../../../src/transports/common/in-place-reader.js';
import { PrivateTempDir } from '../../../src/transports/common/temp-dir.js';

// The onread plumbing on a real Unix socket: what the kernel delivers lands in the reader's views.

const owned: { dir: PrivateTempDir; server: net.Server; client?: net.Socket }[] = [];
afterEach(async () => {
  for (const { dir, server, client } of owned.splice(0)) {
    client?.destroy();
    server.close();
    await dir.remove();
  }
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server that writes `pieces` to its one client, pausing between them, then ends. */
async function serve(pieces: Buffer[]): Promise<string> {
  const dir = PrivateTempDir.create('in-place-test');
  const server = await listen(dir.file('s.sock'));
  owned.push({ dir, server });
  server.on('connection', (socket) => {
    void (async () => {
      for (const piece of pieces) {
        socket.write(piece);
        await pause(15);
      }
      socket.end();
    })();
  });
  return dir.file('s.sock');
}

function connect(socketPath: string, maxMessageBytes: number, messages: Buffer[]): net.Socket {
  const client = connectReadingInPlace(socketPath, new LengthPrefixedReader(maxMessageBytes, (m) => messages.push(Buffer.from(m))));
  owned.at(-1)!.client = client;
  return client;
}

describe('connectReadingInPlace', () => {
  it('reads messages whose pieces arrive split inside the prefix, inside a body and at a message end', async () => {
    const first = Buffer.from('Linz Hbf');
    const second = Buffer.alloc(200_000, 7);
    const stream = Buffer.concat([lengthPrefix(first.length), first, lengthPrefix(second.length), second]);
    const cuts = [2, 4 + 3, 4 + first.length, 4 + first.length + 4 + 1000];
    const pieces = [0, ...cuts].map((from, i) => stream.subarray(from, cuts[i] ?? stream.length));
    const messages: Buffer[] = [];
    const client = connect(await serve(pieces), 1 << 20, messages);
    await once(client, 'close');
    expect(messages.map((m) => m.length)).toEqual([first.length, second.length]);
    // Buffer.equals: a deep toEqual of 200,000 bytes takes seconds.
    expect(messages[0]!.equals(first) && messages[1]!.equals(second)).toBe(true);
  });

  it('a peer that announces more than it sends: the socket errors with how much arrived', async () => {
    const messages: Buffer[] = [];
    const client = connect(await serve([lengthPrefix(100), Buffer.alloc(40, 1)]), 1 << 20, messages);
    const [error] = await once(client, 'error');
    expect(error).toBeInstanceOf(TruncatedError);
    expect((error as Error).message).toBe('stream ended after 40 of 100 announced bytes');
    expect(messages).toEqual([]);
  });

  it('a length above the limit errors the socket as garbage', async () => {
    const client = connect(await serve([lengthPrefix(2 ** 31)]), 1 << 20, []);
    const [error] = await once(client, 'error');
    expect(error).toBeInstanceOf(FramingError);
    expect((error as Error).message).toBe('announced message of 2147483648 bytes is above the maximum of 1048576 bytes');
  });
});
