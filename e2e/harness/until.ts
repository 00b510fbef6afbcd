// Bounded polling for what has no watch (Envoy's admin, a tunnel's reply, two control planes converging): reads until
// `check` holds, every 100 ms.

/** The first read `check` accepts, else the last read once `timeoutMs` has passed (for the caller to show). */
export async function settle<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!check(last) && Date.now() <= deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** The first read `check` accepts; an error naming `what` and showing the last read once `timeoutMs` has passed. */
export async function until<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const last = await settle(read, check, timeoutMs);
  if (!check(last)) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last).slice(0, 1500)}`);
  return last;
}
