import { describe, expect, it } from 'vitest';
import { runJob } from '../../../src/transports/common/jobs.js';
import type { Payload } from '../../../src/transports/types.js';

describe('runJob', () => {
  it("echoes the payload itself on 'echo'", () => {
    const payload: Payload = { kind: 'bytes', bytes: Buffer.from('abc') };
    expect(runJob({ kind: 'echo' }, payload)).toBe(payload);
  });

  it("collects the peer's garbage on 'collect' (the sweep's, before a large sample), then echoes", async () => {
    // A WeakRef keeps its target alive until the end of the job that made it: make it, then yield.
    const ref = ((): WeakRef<object> => new WeakRef({ big: Buffer.alloc(1024) }))();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const payload: Payload = { kind: 'bytes', bytes: Buffer.alloc(1) };
    expect(runJob({ kind: 'collect' }, payload)).toBe(payload);
    expect(ref.deref()).toBeUndefined();
  });
});
