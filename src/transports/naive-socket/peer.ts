import { payloadBody, payloadFromBody } from '../common/envelope.js';
import { errorMessage } from '../../format/error.js';
import { runJob } from '../common/jobs.js';
import { serveOneShotSocket } from '../common/one-shot-socket/peer.js';
import { ownPeakRssBytes } from '../common/peak-rss.js';
import { peerArgs, type PeerEntry } from '../common/peer-entry.js';
import { misbehaveMidReply, takeFaultForReply } from '../common/peer-fault.js';
import type { NaiveFromPeer, NaiveRequest, NaiveToPeer } from './messages.js';

function send(message: NaiveFromPeer): void {
  process.send?.(message);
}

/** Runs the job on one message's bytes; reports over IPC and returns the reply's bytes for the socket. */
function answer(request: NaiveRequest | null, message: Buffer): Buffer {
  try {
    if (request === null) throw new Error('a connection arrived with no request announced');
    const reply = runJob(request.job, payloadFromBody(request.payloadKind, message));
    const body = payloadBody(reply);
    send({ type: 'reply', payloadKind: reply.kind, peakRssBytes: ownPeakRssBytes() });
    return body;
  } catch (error) {
    send({ type: 'error', message: errorMessage(error), peakRssBytes: ownPeakRssBytes() });
    return Buffer.alloc(0);
  }
}

/**
 * Peer side of naive-socket (argv: socket path): one message per connection, only the payload's
 * bytes on the socket; the job and payload kind arrive just before over the IPC channel.
 */
export const naiveSocketPeer: PeerEntry = (args) => {
  const [socketPath] = peerArgs('naive-socket', args, ['socket path']);
  let announced: NaiveRequest | null = null;
  process.on('message', (message: NaiveToPeer) => {
    if (message.type !== 'request') return;
    announced = message;
    send({ type: 'armed' });
  });
  serveOneShotSocket(
    socketPath,
    (socket) => {
      const request = announced;
      announced = null;
      let answered = false;
      const answerWith = (message: Buffer): void => {
        if (answered) return;
        answered = true;
        const reply = answer(request, message);
        const fault = takeFaultForReply();
        if (reply.length > 0) socket.write(reply);
        misbehaveMidReply(fault);
        socket.end();
      };
      // THE BUG, KEPT ON PURPOSE (the talk's sixth iteration found it): this receiver treats one
      // 'data' event as one whole message. A stream socket delivers big messages in pieces (Node
      // reads at most 64 KiB at a time), so above that it answers a truncated message. Do not fix.
      socket.once('data', (firstChunk: Buffer) => {
        answerWith(firstChunk);
        socket.on('data', () => undefined); // discard the rest, so the sender is not blocked
      });
      // A zero-byte message has no 'data' event at all: the end alone is the (empty) message.
      socket.once('end', () => answerWith(Buffer.alloc(0)));
    },
    () => send({ type: 'ready' }),
  );
};
