// The ADS server: both stream flavours on a gRPC server per listener (plain TCP on 127.0.0.1 for tests and local
// runs, 15010 and TLS on 15012 in the cluster), each stream's caller authenticated as its listener requires. A push
// goes to every connection, and each sends only what changed for it. Connections, pushes, NACKs and refused callers
// are exported as metrics.
import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type ServerDuplexStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from 'winston';
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../../kube/metrics.ts';
import type { Authenticate } from './authentication.ts';
import type { Connection, Reject, StreamEvents } from './connection.ts';
import { DeltaStream } from './delta-stream.ts';
import { LogLimiter } from './log-limiter.ts';
import type { ResourceSource } from './resources.ts';
import { RotatingServerCredentials, type KeyPair } from './rotating-credentials.ts';
import { SotwStream } from './sotw-stream.ts';
import { decodeDeltaRequest, decodeRequest, type DeltaDiscoveryRequest, type DiscoveryRequest } from './wire.ts';

const connected = new Gauge({
  name: 'pilot_xds',
  help: 'Number of endpoints connected to this pilot using XDS.',
  labelNames: ['generator'],
  registers: [metricsRegistry],
});
const pushes = new Counter({
  name: 'pilot_xds_pushes',
  help: 'Pilot build and send errors for lds, rds, cds and eds.',
  labelNames: ['type'],
  registers: [metricsRegistry],
});
const rejects = new Counter({
  name: 'pilot_total_xds_rejects',
  help: 'Total number of XDS responses from pilot rejected by proxy.',
  labelNames: ['type'],
  registers: [metricsRegistry],
});

const refusals = new Counter({
  name: 'ambit_xds_refused_streams_total',
  help: 'xDS streams ended because the caller was not authenticated or asked for a node that is not its own.',
  labelNames: ['code'],
  registers: [metricsRegistry],
});

const service = '/envoy.service.discovery.v3.AggregatedDiscoveryService/';
const passThrough = (b: Buffer) => b;

export interface XdsListener {
  host: string;
  port: number;
  /** TLS; plain TCP when absent. */
  tls?: KeyPair;
}

export interface XdsServerOptions {
  listeners: XdsListener[];
  /** Called as a proxy connects, before its first request is answered (a lazy source brings itself up to date). */
  onConnect?: () => void;
}

const shortType = (t: string) => t.slice(t.lastIndexOf('.') + 1);

export class XdsServer {
  /** One gRPC server per listener, so that a stream knows whether it came over TLS. */
  private readonly servers: Server[] = [];
  private readonly services: [ServiceDefinition, UntypedServiceImplementation][] = [];
  private readonly connections = new Set<Connection>();
  private readonly source: ResourceSource;
  private readonly events: StreamEvents;
  /** The ADS service's methods (its implementation is per listener). */
  private readonly definition: ServiceDefinition;
  private readonly log: Logger;
  private readonly opts: XdsServerOptions;
  private readonly tlsCredentials: RotatingServerCredentials[] = [];
  private readonly logLimiter = new LogLimiter();
  boundPorts: number[] = [];

  constructor(source: ResourceSource, opts: XdsServerOptions, log: Logger) {
    this.source = source;
    this.opts = opts;
    this.log = log.child({ controller: 'xds' });
    // Logs a line about a client unless its peer has had its share of this window.
    const logAbout = (c: Connection, level: 'info' | 'warn' | 'debug', message: string, meta: object = {}) => {
      const allowed = this.logLimiter.allow(c.peer);
      if (!allowed.log) return;
      const suppressed = allowed.suppressed > 0 ? { suppressedBefore: allowed.suppressed } : {};
      this.log.log(level, message, { key: c.proxy?.id, stream: c.id, peer: c.peer, ...meta, ...suppressed });
    };
    const events: StreamEvents = {
      opened: (c) => {
        this.connections.add(c);
        opts.onConnect?.();
        connected.inc({ generator: c.proxy?.generator ?? '' });
        logAbout(c, 'info', 'proxy connected');
      },
      closed: (c) => {
        if (!this.connections.delete(c)) return;
        connected.dec({ generator: c.proxy?.generator ?? '' });
        logAbout(c, 'info', 'proxy disconnected');
      },
      sent: (c, typeUrl, count, bytes) => {
        pushes.inc({ type: shortType(typeUrl) });
        this.log.debug('pushed', { key: c.proxy?.id, type: shortType(typeUrl), resources: count, bytes });
      },
      rejected: (c, typeUrl, message) => {
        rejects.inc({ type: shortType(typeUrl) });
        c.lastReject = { typeUrl, message, at: new Date().toISOString() };
        logAbout(c, 'warn', 'proxy rejected configuration', { type: shortType(typeUrl), error: message });
      },
      refused: (c, code, message) => {
        refusals.inc({ code });
        logAbout(c, 'warn', 'xDS caller refused', { code, error: message });
      },
      unserved: (c, typeUrl) => {
        logAbout(c, 'debug', 'answered a type this proxy is not served with nothing', { type: typeUrl.slice(0, 200) });
      },
    };
    this.events = events;
    const methods = (prefix: string, sotw: string, delta: string) => ({
      [sotw]: {
        path: `${prefix}${sotw}`,
        requestStream: true,
        responseStream: true,
        requestDeserialize: decodeRequest,
        requestSerialize: () => Buffer.alloc(0),
        responseSerialize: passThrough,
        responseDeserialize: passThrough,
      },
      [delta]: {
        path: `${prefix}${delta}`,
        requestStream: true,
        responseStream: true,
        requestDeserialize: decodeDeltaRequest,
        requestSerialize: () => Buffer.alloc(0),
        responseSerialize: passThrough,
        responseDeserialize: passThrough,
      },
    });
    this.definition = methods(service, 'StreamAggregatedResources', 'DeltaAggregatedResources');
  }

  /** Both stream flavours, for the streams of a listener with or without TLS. */
  private ads(authenticate: Authenticate, tls: boolean): UntypedServiceImplementation {
    return {
      StreamAggregatedResources: (call: ServerDuplexStream<DiscoveryRequest, Buffer>) =>
        new SotwStream(call, this.source, this.events, authenticate(call, { tls })),
      DeltaAggregatedResources: (call: ServerDuplexStream<DeltaDiscoveryRequest, Buffer>) =>
        new DeltaStream(call, this.source, this.events, authenticate(call, { tls })),
    };
  }

  /** Another gRPC service on the same listeners (the CA beside xDS, as istiod serves both); before `start`. */
  addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation): void {
    this.services.push([definition, implementation]);
  }

  /**
   * Binds every listener (and `more`); returns the ports bound (a port 0 asks for a free one). `authenticate` decides
   * who calls on each stream (a refusal ends it with its status); TLS listeners accept client certificates that chain
   * to `clientRoots` (the mesh's) as proof of identity.
   */
  async start(opts: { authenticate: Authenticate; more?: XdsListener[]; clientRoots?: string }): Promise<number[]> {
    const { authenticate, more = [], clientRoots } = opts;
    const ports: number[] = [];
    for (const l of [...this.opts.listeners, ...more]) {
      const tls = l.tls ? new RotatingServerCredentials(l.tls, clientRoots) : undefined;
      if (tls) this.tlsCredentials.push(tls);
      const creds = tls ?? ServerCredentials.createInsecure();
      const server = new Server({ 'grpc.max_send_message_length': 64 * 2 ** 20 });
      server.addService(this.definition, this.ads(authenticate, tls !== undefined));
      for (const [definition, implementation] of this.services) server.addService(definition, implementation);
      this.servers.push(server);
      const address = `${l.host}:${String(l.port)}`;
      const port = await new Promise<number>((resolve, reject) => {
        server.bindAsync(address, creds, (err, p) => (err ? reject(err) : resolve(p)));
      });
      this.log.info('xDS server listening', { address, port, tls: tls !== undefined });
      ports.push(port);
    }
    this.boundPorts = ports;
    return ports;
  }

  /** Replaces the TLS listeners' certificate (a renewed serving certificate); open streams keep theirs. */
  rotateCertificate(pair: KeyPair): void {
    for (const c of this.tlsCredentials) c.rotate(pair);
  }

  /** Pushes to every connection (the caller debounces and updates the source first). */
  pushAll(): void {
    for (const c of this.connections) c.push();
  }

  get proxies(): Connection[] {
    return [...this.connections];
  }

  /** The last NACK of each connected proxy (by node id, else stream id), for the debug endpoint. */
  get lastRejects(): Map<string, Reject> {
    return new Map(
      [...this.connections].flatMap((c) => (c.lastReject ? [[c.proxy?.id ?? c.id, c.lastReject] as const] : [])),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.tryShutdown(() => resolve());
            setTimeout(() => {
              server.forceShutdown();
              resolve();
            }, 2000).unref();
          }),
      ),
    );
  }
}
