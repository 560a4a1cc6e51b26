import { decodeEnvelope, encodeEnvelope } from './envelope.js';
import { errorMessage } from '../../format/error.js';
import { runJob } from './jobs.js';
import { ownPeakRssBytes } from './peak-rss.js';

/**
 * The peer side of every envelope transport (raw-socket, chunked): one whole request message in,
 * the whole reply message out (parts to write, in order). A bad message is answered with an error
 * envelope, never a crash: the peer stays ready for the next one.
 */
export function answerEnvelope(message: Buffer): Buffer[] {
  try {
    const { header, payload } = decodeEnvelope(message);
    if (header.type !== 'request' || payload === null) throw new Error(`expected a request, got a '${header.type}' message`);
    const reply = runJob(header.job, payload);
    return encodeEnvelope({ type: 'reply', payloadKind: reply.kind, peakRssBytes: ownPeakRssBytes() }, reply).parts;
  } catch (error) {
    return encodeEnvelope({ type: 'error', message: errorMessage(error), peakRssBytes: ownPeakRssBytes() }, null).parts;
  }
}
