import { defineScenario } from '../src/scenario/define.js';

export default defineScenario({
  id: 'buffer-zlib',
  title: 'Raw buffers + zlib: serialize, gzip, send, gunzip, both ways',
  talkIteration: 5,
  transport: 'buffer-zlib',
  story:
    'To make the data "fit", it travels as a gzipped Buffer instead of an object. It worked for the small ' +
    'data set; with the full one, the child died silently on the (smaller) server. Try --child-heap-mb to ' +
    'give the child a small server\'s heap.',
  serve: async ({ config }) => (await import('../src/server/offload.js')).serveOffloaded(config, 'buffer-zlib'),
});
