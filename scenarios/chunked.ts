import { defineScenario } from '../src/scenario/define.js';

export default defineScenario({
  id: 'chunked',
  title: 'Home-made chunked protocol: size first, "ready for data", frames, result size, ack, result',
  talkIteration: 6,
  transport: 'chunked',
  story:
    'The final protocol, "something like HTTP" over a Unix socket: the server announces the size, the child ' +
    'answers "ready for data", the data follows in frames and is reassembled into one buffer of the ' +
    'announced size; the result comes back the same way (a message of up to 64 KiB skips the wait for "ready"). ' +
    '"It worked, and it\'s still working today."',
  serve: async ({ config }) => (await import('../src/server/offload.js')).serveOffloaded(config, 'chunked'),
});
