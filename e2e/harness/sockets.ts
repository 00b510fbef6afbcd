// The TCP sockets a process holds, read from /proc (Linux): used to prove the network rule, i.e. that the cluster
// listens and connects only on loopback.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface TcpSocket {
  local: string;
  remote: string;
  listening: boolean;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // the descriptor closed while we read the folder
    }
  }
  return inodes;
}

/** Decodes a /proc/net/tcp address ("0100007F:1F90" → "127.0.0.1:8080"; IPv6 as 8 hex groups). */
export function decodeProcAddress(hex: string): string {
  const [addr = '', port = ''] = hex.split(':');
  const words = addr.match(/.{8}/g) ?? [];
  // Each 32-bit word is in host (little-endian) byte order.
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  const ip =
    bytes.length === 4
      ? bytes.join('.')
      : Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16)).join(':');
  return `${ip}:${parseInt(port, 16)}`;
}

export function tcpSockets(pid: number): TcpSocket[] {
  const inodes = socketInodes(pid);
  const sockets: TcpSocket[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (!inodes.has(f[9] ?? '')) continue;
      sockets.push({ local: decodeProcAddress(f[1]!), remote: decodeProcAddress(f[2]!), listening: f[3] === '0A' });
    }
  }
  return sockets;
}

/** Loopback in IPv4 (127.0.0.0/8), IPv6 (::1) or IPv4-mapped IPv6 form; 0.0.0.0 / :: (unconnected) excluded. */
export function isLoopback(address: string): boolean {
  const ip = address.slice(0, address.lastIndexOf(':'));
  return ip.startsWith('127.') || ip === '0:0:0:0:0:0:0:1' || /^0:0:0:0:0:ffff:7f/.test(ip);
}
