// Command-line helpers shared by `ambit operator` and `ambit control-plane`.

/** A flag the user got wrong: reported on stderr with a hint, exit code 2. */
export class UsageError extends Error {}

/** `host:port` → its parts; `:8080` means all interfaces. */
export function parseAddress(flag: string, value: string): { host: string; port: number } {
  const i = value.lastIndexOf(':');
  const port = Number(value.slice(i + 1));
  if (i < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--${flag} "${value}" is not host:port, e.g. 127.0.0.1:8081`);
  }
  return { host: value.slice(0, i) || '0.0.0.0', port };
}
