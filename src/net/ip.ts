// IP addresses as bytes (4 for IPv4, 16 for IPv6), as the workload API carries them (base64 in protobuf JSON) and
// CIDR rules compare them. Parsed by hand because node:net only validates; it does not give the bytes.

/** The 4 or 16 bytes of an IPv4 or IPv6 address in text form, or undefined when it is not one (zones refused). */
export function parseIp(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** An address with an optional `/<length>`; without one, the full length (a single host). */
export function parseCidr(text: string): { bytes: Uint8Array; length: number } | undefined {
  const slash = text.indexOf('/');
  const bytes = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!bytes) return undefined;
  if (slash < 0) return { bytes, length: bytes.length * 8 };
  const length = decimal(text.slice(slash + 1), bytes.length * 8);
  return length === undefined ? undefined : { bytes, length };
}

/** The canonical text form (RFC 5952 for IPv6: lower case, longest run of zero groups shortened to `::`). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  // IPv4-mapped addresses keep the dotted tail, as Go and Rust print them.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${bytes.slice(12).join('.')}`;
  const run = longestZeroRun(groups);
  const hex = groups.map((g) => g.toString(16));
  if (run.length < 2) return hex.join(':');
  return `${hex.slice(0, run.start).join(':')}::${hex.slice(run.start + run.length).join(':')}`;
}

/** Base64, the protobuf JSON form of a bytes field. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => decimal(p, 255));
  return octets.every((o) => o !== undefined) ? Uint8Array.from(octets) : undefined;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  // Only the address's last part may be dotted IPv4.
  const head = groupsOf(halves[0]!, !compressed);
  const tail = compressed ? groupsOf(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  // `::` stands for at least one zero group; without it there must be exactly eight.
  if (compressed ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  return Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
}

/** The 16-bit groups of one side of `::` (an embedded IPv4 address counts as two), or undefined if malformed. */
function groupsOf(side: string, dottedTail: boolean): number[] | undefined {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (dottedTail && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** A decimal number without sign or leading zeros, at most `max`. */
function decimal(text: string, max: number): number | undefined {
  if (!/^(0|[1-9][0-9]{0,3})$/.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

function longestZeroRun(groups: number[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;
  groups.forEach((g, i) => {
    if (g !== 0) {
      start = -1;
      return;
    }
    if (start < 0) start = i;
    const length = i - start + 1;
    // Strictly longer: the first of equal runs wins.
    if (length > best.length) best = { start, length };
  });
  return best;
}
