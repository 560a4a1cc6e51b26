import { errorMessage } from '../../../format/error.js';
import { runJob } from '../jobs.js';
import { ownPeakRssBytes } from '../peak-rss.js';
import type { ForkCodec, ForkFromPeer, ForkToPeer } from './messages.js';

/** Peer side of the fork-channel family: requests arrive by process.send, decoded by `codec`. */
export function serveForkChannelPeer<Body>(codec: ForkCodec<Body>): void {
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
          peakRssBytes: ownPeakRssBytes(),
          requestBodyBytes,
          replyBodyBytes: codec.bodyWireBytes(body),
        });
      } catch (error) {
        send({ type: 'error', id: message.id, message: errorMessage(error), peakRssBytes: ownPeakRssBytes() });
      }
    })();
  });
  send({ type: 'ready' });
}
