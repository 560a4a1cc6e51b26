import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../../src/transports/common/in-place-link/socket.js';
import { ChunkedEndpoint, RefusedError, type EndpointOptions } from '../../../src/transports/chunked/endpoint.js';
import { controlFrame, dataFrames } from '../../../src/transports/chunked/framing.js';
import { feed } from '../common/in-place-feed.js';

/** A socket that keeps what is written to it: one entry per cork/uncork batch (one writev). */
class FakeSocket extends EventEmitter {
  readonly batches: Buffer[][] = [];
  private corked: Buffer[] | null = null;
  bytesWritten = 0;
  bytesRead = 0;

  cork(): void {
    this.corked = [];
  }

  write(buffer: Buffer): boolean {
    this.bytesWritten += buffer.length;
    if (this.corked) this.corked.push(buffer);
    else this.batches.push([buffer]);
    return true;
  }

  uncork(): void {
    if (this.corked) this.batches.push(this.corked);
    this.corked = null;
  }

  destroy(): void {}

  /** Everything written since the last take, as one byte stream. */
  take(): Buffer {
    const bytes = Buffer.concat(this.batches.flat());
    this.batches.length = 0;
    return bytes;
  }
}

interface Side {
  endpoint: ChunkedEndpoint;
  outbound: FakeSocket;
  received: Buffer[];
  refused: string[];
}

function side(options: EndpointOptions): Side {
  const received: Buffer[] = [];
  const refused: string[] = [];
  const endpoint = new ChunkedEndpoint(options, {
    message: (message) => received.push(message),
    refusedIncoming: (reason) => refused.push(reason),
    failed: (error) => {
      throw error;
    },
  });
  const outbound = new FakeSocket();
  endpoint.attach({ outbound: outbound as unknown as net.Socket, inbound: new FakeSocket() as unknown as net.Socket } satisfies Link);
  return { endpoint, outbound, received, refused };
}

const OPTIONS: EndpointOptions = { maxMessageBytes: 4096, frameBytes: 1024, eagerMaxBytes: 64 };
const bytes = (sizeBytes: number): Buffer => Buffer.alloc(sizeBytes, 0x5a);

describe('ChunkedEndpoint: the "ready" handshake, skipped within the standing allowance', () => {
  it('a message up to eagerMaxBytes leaves with its announce in one write, and the receiver answers nothing', async () => {
    const sender = side(OPTIONS);
    const receiver = side(OPTIONS);
    await sender.endpoint.send([bytes(64)], 64); // resolves at once: nothing to wait for
    expect(sender.outbound.batches).toHaveLength(1);
    const wire = sender.outbound.take();
    expect(wire).toEqual(Buffer.concat([controlFrame({ type: 'announce', sizeBytes: 64 }), ...dataFrames([bytes(64)], 1024)]));
    feed(receiver.endpoint.reader, wire);
    expect(receiver.received).toEqual([bytes(64)]);
    expect(receiver.outbound.batches).toEqual([]);
  });

  it('a bigger message waits for "ready", then its data frames follow', async () => {
    const sender = side(OPTIONS);
    const receiver = side(OPTIONS);
    let sent = false;
    const sending = sender.endpoint.send([bytes(65)], 65).then(() => (sent = true));
    expect(sender.outbound.take()).toEqual(controlFrame({ type: 'announce', sizeBytes: 65 }));
    feed(receiver.endpoint.reader, controlFrame({ type: 'announce', sizeBytes: 65 }));
    const ready = receiver.outbound.take();
    expect(ready).toEqual(controlFrame({ type: 'ready' }));
    await Promise.resolve();
    expect(sent).toBe(false);
    feed(sender.endpoint.reader, ready);
    await sending;
    const data = sender.outbound.take();
    expect(data).toEqual(Buffer.concat(dataFrames([bytes(65)], 1024)));
    feed(receiver.endpoint.reader, data);
    expect(receiver.received).toEqual([bytes(65)]);
  });

  it('the allowance never reaches past the maximum: above it a message is announced, refused, and nothing allocated', async () => {
    const small = { maxMessageBytes: 32, frameBytes: 1024, eagerMaxBytes: 64 };
    const sender = side(small);
    const receiver = side(small);
    const sending = sender.endpoint.send([bytes(40)], 40);
    const wire = sender.outbound.take();
    expect(wire).toEqual(controlFrame({ type: 'announce', sizeBytes: 40 }));
    feed(receiver.endpoint.reader, wire);
    expect(receiver.refused).toEqual(['announced size 40 bytes is above the maximum of 32 bytes']);
    expect(receiver.endpoint.reader.incomingProgress).toBeNull();
    feed(sender.endpoint.reader, receiver.outbound.take());
    await expect(sending).rejects.toThrow(RefusedError);
  });

  it('eagerMaxBytes 0: every message, even an empty one, waits for "ready" (the talk\'s protocol as it was)', () => {
    const sender = side({ ...OPTIONS, eagerMaxBytes: 0 });
    void sender.endpoint.send([], 0);
    expect(sender.outbound.take()).toEqual(controlFrame({ type: 'announce', sizeBytes: 0 }));
  });
});
