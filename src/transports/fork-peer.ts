import { errorMessage, peakRssBytes, runJob } from './peer-jobs.js';
import type { ForkCodec, ForkFromPeer, ForkToPeer } from './fork-messages.js';

/** Peer side of fork-json, fork-advanced and buffer-zlib: requests arrive by process.send. */
export function serveForkPeer<Body>(codec: ForkCodec<Body>): void {
  const send = (message: ForkFromPeer<Body>): void => {
    process.send?.(message);
  };
  process.on('message', (message: ForkToPeer<Body>) => {
    void (async () => {
      try {
        const payload = await codec.decode(message.body);
        const requestBodyBytes = codec.bodyWireBytes(message.body);
        const body = await codec.encode(runJob(message.job, payload));
        send({
          type: 'reply',
          id: message.id,
          body,
          peakRssBytes: peakRssBytes(),
          requestBodyBytes,
          replyBodyBytes: codec.bodyWireBytes(body),
        });
      } catch (error) {
        send({ type: 'error', id: message.id, message: errorMessage(error), peakRssBytes: peakRssBytes() });
      }
    })();
  });
  send({ type: 'ready' });
}
