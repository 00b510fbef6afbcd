// A client end of HBONE, as ztunnel would open it: mTLS (TLS 1.3, ALPN h2) with a SPIFFE certificate to the
// waypoint's :15008, an HTTP/2 CONNECT to `<service VIP>:<port>`, and one plain HTTP/1.1 request inside the tunnel.
import { connect } from 'node:http2';

/** A workload certificate (PEM chain, leaf first) and its key. */
export interface MeshIdentity {
  cert: string;
  key: string;
}

export interface TunnelReply {
  /** The CONNECT's :status (200 when the waypoint opened the tunnel). */
  connect: number;
  /** The HTTP status inside the tunnel, when the tunnel opened. */
  status?: number;
  body?: string;
}

export function hboneRequest(
  waypoint: string,
  authority: string,
  identity: MeshIdentity,
  root: string,
  path = '/',
  timeoutMs = 5000,
): Promise<TunnelReply> {
  return new Promise((resolve, reject) => {
    const session = connect(`https://${waypoint}`, {
      ca: root,
      cert: identity.cert,
      key: identity.key,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.3',
      // The waypoint's certificate names a SPIFFE identity, not a host name.
      checkServerIdentity: () => undefined,
    });
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error(`no answer through ${waypoint} for ${authority}${path} within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    const done = (r: TunnelReply) => {
      clearTimeout(timer);
      session.close();
      resolve(r);
    };
    session.on('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
    const stream = session.request({ ':method': 'CONNECT', ':authority': authority });
    stream.on('response', (headers) => {
      const connectStatus = Number(headers[':status']);
      if (connectStatus !== 200) {
        done({ connect: connectStatus });
        return;
      }
      stream.write(`GET ${path} HTTP/1.1\r\nHost: ${authority}\r\nConnection: close\r\n\r\n`);
    });
    let raw = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (raw += chunk));
    // The backend closes after its answer (Connection: close); Envoy then resets the tunnel stream rather than
    // ending it, so a complete answer counts whichever way the stream finishes.
    const finish = (err?: Error) => {
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      if (status) done({ connect: 200, status: Number(status), body: rest.join('\r\n\r\n') });
      else {
        clearTimeout(timer);
        session.destroy();
        reject(err ?? new Error(`the tunnel to ${authority} closed without an answer`));
      }
    };
    stream.on('end', () => finish());
    stream.on('error', (err: Error) => finish(err));
  });
}

/** As hboneRequest, but a failure (refused, reset, timed out) is a reply: CONNECT status 0 and the error as body. */
export const hboneReply = (...args: Parameters<typeof hboneRequest>): Promise<TunnelReply> =>
  hboneRequest(...args).catch((err: unknown) => ({ connect: 0, body: (err as Error).message }));
