/**
 * The numbered steps `npm start` prints. In a terminal the running step is one line that
 * updates in place (spinner, detail, seconds) so a slow build never looks like a hang; piped
 * into a file or a test, each step is a plain "doing…" line and then its result.
 */
export class StartProgress {
  private current: { readonly index: number; readonly doing: string; readonly started: number; detail: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private frame = 0;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  private get live(): boolean {
    return this.out.isTTY === true && process.env.CI === undefined;
  }

  begin(index: number, doing: string): void {
    this.current = { index, doing, started: performance.now(), detail: '' };
    if (this.live) {
      this.timer = setInterval(() => this.redraw(), 120);
      this.redraw();
    } else {
      this.out.write(`${this.label(index)} ${doing}…\n`);
    }
  }

  /** A short note on the running step ("412 modules"); shown live in a terminal only. */
  update(detail: string): void {
    if (this.current) this.current.detail = detail;
  }

  end(result: string): void {
    this.finish(`${result} (${this.seconds()} s)`);
  }

  fail(message: string): void {
    if (this.current) this.finish(`failed: ${message}`, process.stderr);
    else process.stderr.write(`Reclaim did not start: ${message}\n`);
  }

  private finish(line: string, stream: NodeJS.WriteStream = this.out): void {
    if (!this.current) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.live) this.out.write('\r\x1b[2K');
    stream.write(`${this.label(this.current.index)} ${line}\n`);
    this.current = null;
  }

  private label(index: number): string {
    return `[${index}/${this.total}]`;
  }

  private seconds(): string {
    return this.current ? ((performance.now() - this.current.started) / 1000).toFixed(1) : '0.0';
  }

  private redraw(): void {
    if (!this.current) return;
    const spinner = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[this.frame++ % 10];
    const detail = this.current.detail ? ` · ${this.current.detail}` : '';
    this.out.write(`\r\x1b[2K${this.label(this.current.index)} ${spinner} ${this.current.doing}${detail} · ${this.seconds()} s`);
  }
}
