// A port as configuration writes it: a decimal 1–65535 without sign, exponent or leading zero.

export function parsePort(value: string): number | undefined {
  if (!/^[1-9][0-9]{0,4}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 65535 ? n : undefined;
}
