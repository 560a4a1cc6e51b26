import { describe, expect, it } from 'vitest';
import { collectGarbageSettled } from '../../../src/transports/common/gc.js';

describe('collectGarbageSettled', () => {
  it('resolves only after the event loop has turned twice, so the tasks a GC leaves behind run first', async () => {
    const ran: string[] = [];
    // A task queued before the call, and one that task queues for the next turn.
    setImmediate(() => {
      ran.push('first turn');
      setImmediate(() => ran.push('second turn'));
    });
    const settled = collectGarbageSettled().then(() => ran.push('settled'));
    ran.push('called');
    await settled;
    expect(ran).toEqual(['called', 'first turn', 'second turn', 'settled']);
  });
});
