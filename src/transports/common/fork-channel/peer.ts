import { errorMessage } from '../../../format/error.js';
import { runJob } from '../jobs.js';
import { ownPeakRssBytes } from '../peak-rss.js';
import { markFault, misbehaveMidReply, takeFaultForReply } from '../peer-fault.js';
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
        const fault = takeFaultForReply();
        const encoded = await codec.encode(runJob(message.job, payload));
        // `npm run faults` only: a codec with a wire format of its own can send a broken one.
        const body = fault !== null && codec.faultyBody ? await codec.faultyBody(encoded, fault) : encoded;
        if (fault !== null) markFault();
        send({
          type: 'reply',
          id: message.id,
          body,
          peakRssBytes: ownPeakRssBytes(),
          requestBodyBytes,
          replyBodyBytes: codec.bodyWireBytes(body),
        });
        misbehaveMidReply(fault);
      } catch (error) {
        send({ type: 'error', id: message.id, message: errorMessage(error), peakRssBytes: ownPeakRssBytes() });
      }
    })();
  });
  send({ type: 'ready' });
}
