// The chunked protocol: the talk's sixth iteration, done right. Parent and peer hold one in-place
// link (common/in-place-link: a Unix socket connection each way, in the parent's private temp dir)
// and send messages both ways the same way (endpoint.ts), each cut into frames (framing.ts) and
// read in place (reader.ts):
//
//   sender                                   receiver
//   control  announce { sizeBytes }   ->     refuses above its maximum, before allocating anything:
//                                     <-     control  refused { reason }   (that message fails;
//                                                                           the connection stays)
//                                            or allocates the whole message once:
//                                     <-     control  ready
//   data frames of at most frameBytes ->     read straight into the allocated message (onread)
//
// A message of at most CHUNKED_EAGER_MAX_BYTES skips the wait: its data frames follow the announce
// in the same write, and the receiver allocates it without answering "ready" (like HTTP, where a
// client asks "100-continue" only before a big body). Both sides know the figure from start-up.
//
// A message is one envelope (common/envelope.ts): [uint32 BE header length][JSON header][body],
// where the header is { type: 'request', job, payloadKind } from the parent, and { type: 'reply',
// payloadKind, peakRssBytes } or { type: 'error', message, peakRssBytes } from the peer; the body
// is the payload's bytes, or JSON for structured data. One exchange: the parent sends a request
// message, the peer answers with one message (an error envelope for a request it cannot run).
// Garbage on the stream (bad magic, unknown frame type, data nobody announced) is a FramingError:
// the side that reads it drops the connection; the parent reports `corrupted`, the peer exits.

/** Control frames, one JSON object each. */
export type ControlMessage =
  | { type: 'announce'; sizeBytes: number }
  | { type: 'ready' }
  | { type: 'refused'; reason: string };

/** Default PeerOptions.maxMessageBytes: the largest message a receiver allocates. */
export { DEFAULT_MAX_MESSAGE_BYTES } from '../common/in-place-reader.js';

/**
 * Data frame size. Measured again with frames read in place (warm echo round trips, CPU of both
 * processes per exchange, 2 busy cores, two rounds): at 16 and 64 MiB, 64 KiB, 1 MiB, 4 MiB and
 * 16 MiB frames were equal within the noise (625-745 ms CPU per 64 MiB exchange for every size);
 * at 1 MiB, 64 KiB frames cost 14 ms against 9-14 ms. Each frame costs one extra 6-byte read and two
 * writev entries, so 1 MiB frames keep that to 64 per 64 MiB; larger ones gain nothing measurable
 * and would make the "chunks" of the talk's protocol a formality.
 */
export const CHUNKED_FRAME_BYTES = 1024 * 1024;

/**
 * The standing allowance: messages up to 64 KiB (the talk's "message size limit on Linux", one
 * socket read) go without the "ready" round trip. Measured on 2 cores, warm 1 KiB echoes, CPU per
 * exchange in each process: 92-106 us with the handshake both ways, 48-51 us without it (raw-socket
 * 37-39, fork-json 47-53). Each wait is one more write that wakes the other process, the largest
 * cost of a small message. From a few hundred KiB up the wait is a small share of the transfer,
 * and the receiver's say before allocating is worth it.
 */
export const CHUNKED_EAGER_MAX_BYTES = 64 * 1024;
