// Log lines about one client, rate-limited: at most `perWindow` lines about a peer in each window; the rest are
// counted and the count goes out with the next line let through. Peers whose window has passed are forgotten, so
// what is kept is bounded by the peers of one window (and by `maxPeers` whatever they do).
export interface LogLimits {
  perWindow: number;
  windowMs: number;
  maxPeers: number;
}

interface Window {
  start: number;
  lines: number;
  suppressed: number;
}

export class LogLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly limits: LogLimits;
  private readonly now: () => number;

  constructor(limits: LogLimits = { perWindow: 20, windowMs: 60_000, maxPeers: 10_000 }, now = () => Date.now()) {
    this.limits = limits;
    this.now = now;
  }

  /** Whether to log a line about `peer`; when so, how many lines about it were suppressed before it. */
  allow(peer: string): { log: true; suppressed: number } | { log: false } {
    const now = this.now();
    const previous = this.windows.get(peer);
    this.forgetPassed(now);
    let w = this.windows.get(peer);
    if (!w || now - w.start >= this.limits.windowMs) {
      // A new window goes to the back: the map stays ordered by window start.
      this.windows.delete(peer);
      w = { start: now, lines: 0, suppressed: previous?.suppressed ?? 0 };
      this.windows.set(peer, w);
    }
    if (w.lines >= this.limits.perWindow) {
      w.suppressed++;
      return { log: false };
    }
    w.lines++;
    const suppressed = w.suppressed;
    w.suppressed = 0;
    return { log: true, suppressed };
  }

  get peers(): number {
    return this.windows.size;
  }

  private forgetPassed(now: number): void {
    for (const [peer, w] of this.windows) {
      if (now - w.start < this.limits.windowMs && this.windows.size <= this.limits.maxPeers) break;
      this.windows.delete(peer);
    }
  }
}
