import { oneShotSocketTransport } from './socket-transport.js';

/**
 * Not in the talk: the reference for what the kernel and Node can move. Bytes over a Unix socket,
 * one message per connection, the end of the stream marks the end of the message: no framing, no
 * size announcement, nothing to parse. Structured data goes as JSON bytes.
 */
export const rawSocketTransport = oneShotSocketTransport({
  id: 'raw-socket',
  title: 'Unix socket, one message per connection (reference)',
  talkIteration: null,
});
