import { oneShotSocketTransport } from './socket-transport.js';

/**
 * THE BUG THE TALK HIT, KEPT ON PURPOSE: a Unix socket receiver that takes each 'data' event for a
 * whole message (see socket-peer.ts). Fine for small messages, silently truncated above the 64 KiB
 * a single read delivers: the reply is corrupted or an error, never a hang.
 */
export const naiveSocketTransport = oneShotSocketTransport({
  id: 'naive-socket',
  title: "Unix socket, one 'data' event taken as one message (the bug, on purpose)",
  talkIteration: 6,
});
