/**
 * Replies matched to their requests by id, for channels where several exchanges may be in flight
 * (fork channel, node-ipc, worker messages): a late reply to an abandoned request finds no one.
 */
export class PendingReplies<Reply> {
  private lastId = 0;
  private readonly waiting = new Map<number, (reply: Reply) => void>();

  /** Runs `exchange` with a fresh id and the promise of its reply; forgets the id however it ends. */
  async withId<T>(exchange: (id: number, reply: Promise<Reply>) => Promise<T>): Promise<T> {
    const id = ++this.lastId;
    const reply = new Promise<Reply>((resolve) => this.waiting.set(id, resolve));
    try {
      return await exchange(id, reply);
    } finally {
      this.waiting.delete(id);
    }
  }

  settle(id: number, reply: Reply): void {
    this.waiting.get(id)?.(reply);
  }

  clear(): void {
    this.waiting.clear();
  }
}
