import type { ForkCodec } from '../shared/fork-channel/messages.js';
import { fromJsonWire, jsonMessageBytes, jsonWireBytes, toJsonWire, type JsonWirePayload } from '../shared/json-wire.js';

/**
 * fork-json's body on the fork channel (messages: shared/fork-channel/messages.ts), used by both
 * sides. The default JSON serialization, as in the talk: structured data as itself, bytes as a
 * base64 string because JSON has no bytes type (counted at their base64 size).
 */
export const forkJsonCodec: ForkCodec<JsonWirePayload> = {
  serialization: 'json',
  encode: (payload) => Promise.resolve(toJsonWire(payload)),
  decode: (body) => Promise.resolve(fromJsonWire(body)),
  bodyWireBytes: jsonWireBytes,
  messageWireBytes: jsonMessageBytes,
};
