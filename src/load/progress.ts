/** What a running phase reports to its progress line. */
export interface ProgressSnapshot {
  elapsedMs: number;
  answered: number;
  errors: number;
}

const BAR_WIDTH = 30;
const REFRESH_MS = 250;

/** The progress line of a phase, without the carriage return: pure, so it can be tested. */
export function renderProgressLine(snapshot: ProgressSnapshot, durationMs: number): string {
  const done = Math.min(1, Math.max(0, snapshot.elapsedMs / durationMs));
  const filled = Math.round(done * BAR_WIDTH);
  const seconds = `${Math.min(Math.floor(snapshot.elapsedMs / 1000), Math.ceil(durationMs / 1000))}/${Math.ceil(durationMs / 1000)} s`;
  return `[${'='.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${seconds}  ${snapshot.answered} answered  ${snapshot.errors} errors`;
}

/** A progress bar on stderr (a terminal), rewritten in place and erased when the phase ends. */
export class PhaseProgress {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly durationMs: number,
    private readonly snapshot: () => ProgressSnapshot,
    private readonly stream: NodeJS.WritableStream = process.stderr,
  ) {}

  start(): void {
    this.draw();
    this.timer = setInterval(() => this.draw(), REFRESH_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.stream.write('\r\x1b[2K');
  }

  private draw(): void {
    this.stream.write(`\r\x1b[2K${renderProgressLine(this.snapshot(), this.durationMs)}`);
  }
}
