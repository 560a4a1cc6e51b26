import type { ForkCodec } from '../common/fork-channel/messages.js';
import { fromJsonWire, jsonMessageBytes, jsonWireBytes, toJsonWire, type JsonWirePayload } from '../common/json-wire.js';

/**
 * fork-json's body on the fork channel (messages: common/fork-channel/messages.ts), used by both
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
