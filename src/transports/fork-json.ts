import { forkChannelTransport } from './fork-channel.js';
import type { ForkCodec } from './fork-messages.js';
import { fromJsonWire, jsonMessageBytes, jsonWireBytes, toJsonWire, type JsonWirePayload } from './wire-payload.js';

/**
 * The talk's third iteration: child_process.fork + process.send with the default JSON
 * serialization. The talk sent structured data; bytes travel as a base64 string because JSON has no
 * bytes type (counted at their base64 size).
 */
export const forkJsonCodec: ForkCodec<JsonWirePayload> = {
  serialization: 'json',
  encode: (payload) => Promise.resolve(toJsonWire(payload)),
  decode: (body) => Promise.resolve(fromJsonWire(body)),
  bodyWireBytes: jsonWireBytes,
  messageWireBytes: jsonMessageBytes,
};

export const forkJsonTransport = forkChannelTransport(
  { id: 'fork-json', title: 'fork + process.send (JSON serialization)', talkIteration: 3 },
  forkJsonCodec,
);
