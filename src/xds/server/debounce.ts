// Coalesces bursts of changes into one push: fires `quietMs` after the last change, but never later than `maxMs`
// after the first change of the burst.
export class Debouncer {
  private first: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly quietMs: number;
  private readonly maxMs: number;
  private readonly fire: () => void;

  constructor(quietMs: number, maxMs: number, fire: () => void) {
    this.quietMs = quietMs;
    this.maxMs = maxMs;
    this.fire = fire;
  }

  trigger(): void {
    const now = Date.now();
    this.first ??= now;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.quietMs, this.first + this.maxMs - now));
    this.timer = setTimeout(() => {
      this.first = undefined;
      this.timer = undefined;
      this.fire();
    }, wait);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.first = undefined;
  }
}
