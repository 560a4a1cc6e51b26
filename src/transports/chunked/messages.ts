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
 * Data frame size. Each frame costs one more 6-byte read and two more writev entries; with frames read
 * in place nothing else depends on it. Measured again once the sweep's processes kept their memory
 * (sweep/malloc.ts; before, fresh pages cost more than everything else and every frame size measured
 * the same): warm echo round trips, medians of 15-60, two rounds, 2 cores. 1 MiB frames: 1.9-2.3 ms
 * at 4 MiB, 6.8-7.9 ms at 16 MiB; 4 MiB frames: 1.6-2.5 and 5.6-6.0 ms; 16 MiB frames: 1.5-1.6 and
 * 5.0-5.2 ms; raw-socket 1.4-2.3 and 5.5-7.8 ms. At 64 MiB all were 32-47 ms. 4 MiB keeps most of
 * the gain, and keeps the talk's "chunks" a real part of a big message rather than a formality.
 */
export const CHUNKED_FRAME_BYTES = 4 * 1024 * 1024;

/**
 * The standing allowance: a message up to one frame of payload plus room for its envelope header
 * (64 KiB; the header is JSON of a few hundred bytes) goes without the "ready" round trip, so a
 * 4 MiB payload does. Measured on 2 cores, warm 1 KiB echoes, CPU per exchange in each process:
 * 92-106 us with the handshake both ways, 48-51 us without it (raw-socket 37-39, fork-json 47-53):
 * each wait is one more write that wakes the other process, the largest cost of a small message.
 * With a 64 KiB allowance the two waits of a 1 MiB echo still cost a third of it on memory the
 * processes already had (the sweep's setting): 2.4 ms against raw-socket's 1.6 ms; without them
 * 1.6-1.7 against 1.6-1.8. Above the allowance the receiver's say before the data comes is kept.
 * It has a price there too: each wait wakes a process that had gone idle, and a one-byte round trip
 * between the sweep's two pinned processes took 68-94 us back to back but 178-312 us after 5-20 ms
 * idle. At 16 MiB, in six sweeps of every transport at that size, chunked took 7.5-9.0 ms (median
 * 8.3) with the waits and 7.6-9.1 ms (median 7.8) in a build with the allowance at 64 MiB, 0.87-1.06x
 * raw-socket's MB/s against 0.91-1.07x. Kept anyway: the wait is the talk's protocol, and a server's
 * real message (the scenario's import, about 15 MiB of records) is of the size that goes through it.
 */
export const CHUNKED_EAGER_MAX_BYTES = CHUNKED_FRAME_BYTES + 64 * 1024;
