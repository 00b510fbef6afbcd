// The destination end of HBONE, ztunnel's part beside a workload: mTLS (TLS 1.3, ALPN h2, a client certificate
// from the mesh root required) on `<endpoint address>:15008`, where a waypoint tunnels for endpoints marked HBONE,
// and each HTTP/2 CONNECT to `<address>:<port>` piped to that port's local backend on 127.0.0.1.
import { createSecureServer, constants, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import { connect } from 'node:net';
import type { MeshIdentity } from './hbone-client.ts';

export interface HboneTerminatorOptions {
  /** The workload's address, a loopback one of its own (e.g. 127.0.20.1). */
  address: string;
  port?: number;
  /** The destination workload's certificate. */
  identity: MeshIdentity;
  root: string;
  /** CONNECT target port → the backend's port on 127.0.0.1. */
  backends: Record<number, number>;
}

export interface HboneTerminator {
  /** The CONNECT authorities seen, in order (`<address>:<port>`). */
  connects: string[];
  close: () => Promise<void>;
}

export async function startHboneTerminator(opts: HboneTerminatorOptions): Promise<HboneTerminator> {
  const connects: string[] = [];
  const server = createSecureServer({
    cert: opts.identity.cert,
    key: opts.identity.key,
    ca: opts.root,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.3',
    ALPNProtocols: ['h2'],
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  const reply = (stream: ServerHttp2Stream, status: number) => {
    stream.respond({ ':status': status }, { endStream: true });
  };
  server.on('stream', (stream, headers) => {
    const authority = headers[':authority'] ?? '';
    connects.push(authority);
    if (headers[':method'] !== 'CONNECT') return reply(stream, 405);
    const sep = authority.lastIndexOf(':');
    const host = authority.slice(0, sep);
    const backend = host === opts.address ? opts.backends[Number(authority.slice(sep + 1))] : undefined;
    if (backend === undefined) return reply(stream, 503);
    const upstream = connect(backend, '127.0.0.1');
    upstream.once('connect', () => {
      stream.respond({ ':status': 200 });
      stream.pipe(upstream).pipe(stream);
    });
    upstream.on('error', () => {
      if (!stream.headersSent) reply(stream, 503);
      else stream.close(constants.NGHTTP2_CONNECT_ERROR);
    });
    stream.on('error', () => upstream.destroy());
    stream.on('close', () => upstream.destroy());
  });
  // A failed handshake (no or a foreign client certificate) only ends that connection.
  server.on('tlsClientError', () => undefined);
  server.on('sessionError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 15008, opts.address, () => resolve());
  });
  return {
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open tunnels would hold close() until they end on their own.
        for (const s of sessions) s.destroy();
      }),
  };
}
