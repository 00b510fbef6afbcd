// A minimal ADS client over grpc-js for protocol tests and benchmarks: send requests, await responses in order.
// (The end-to-end checks use real xDS clients — @grpc/grpc-js-xds, Envoy — this one exists to poke at the protocol.)
import {
  Client,
  credentials,
  Metadata,
  type ChannelCredentials,
  type ChannelOptions,
  type ClientDuplexStream,
} from '@grpc/grpc-js';
import {
  decodeDeltaResponse,
  decodeResponse,
  encodeDeltaRequest,
  encodeRequest,
  objectToStruct,
  type DeltaDiscoveryResponse,
  type DiscoveryResponse,
} from '../xds/server/wire.ts';

const ads = '/envoy.service.discovery.v3.AggregatedDiscoveryService/';

/** Responses in arrival order; `next` waits (bounded) for the next one. */
class Inbox<T> {
  private readonly queue: T[] = [];
  private readonly waiters: { resolve: (v: T) => void; reject: (e: Error) => void }[] = [];
  error: Error | undefined;

  fail(e: Error): void {
    this.error = e;
    for (const w of this.waiters.splice(0)) w.reject(e);
  }

  put(v: T): void {
    const w = this.waiters.shift();
    if (w) w.resolve(v);
    else this.queue.push(v);
  }

  next(timeoutMs = 5000): Promise<T> {
    const v = this.queue.shift();
    if (v !== undefined) return Promise.resolve(v);
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (x: T) => {
          clearTimeout(timer);
          resolve(x);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no response within ${String(timeoutMs)} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Takes everything received and not yet read. */
  drain(): T[] {
    return this.queue.splice(0);
  }

  /** Whether nothing arrives within `ms`. */
  async quiet(ms: number): Promise<boolean> {
    if (this.queue.length) return false;
    try {
      await this.next(ms).then((v) => this.queue.unshift(v));
      return false;
    } catch {
      return true;
    }
  }
}

export interface NodeInfo {
  id: string;
  metadata?: Record<string, unknown>;
}

export class AdsTestClient {
  private readonly client: Client;
  readonly node: NodeInfo;
  private readonly token: string | undefined;

  /**
   * `token`: a service account token, sent as pilot-agent and ztunnel send theirs (also over plaintext); `creds`
   * (default: plaintext) and `options` are the channel's.
   */
  constructor(
    address: string,
    node: NodeInfo,
    opts: { creds?: ChannelCredentials; token?: string; options?: ChannelOptions } = {},
  ) {
    this.client = new Client(address, opts.creds ?? credentials.createInsecure(), opts.options);
    this.node = node;
    this.token = opts.token;
  }

  private metadata(): Metadata {
    const m = new Metadata();
    if (this.token !== undefined) m.set('authorization', `Bearer ${this.token}`);
    return m;
  }

  private wireNode() {
    return { id: this.node.id, metadata: objectToStruct(this.node.metadata ?? {}) };
  }

  sotw(): SotwTestStream {
    const inbox = new Inbox<DiscoveryResponse>();
    const call = this.client.makeBidiStreamRequest(
      `${ads}StreamAggregatedResources`,
      (b: Buffer) => b,
      decodeResponse,
      this.metadata(),
    );
    call.on('data', (r: DiscoveryResponse) => inbox.put(r));
    call.on('error', (e: Error) => inbox.fail(e));
    return new TestStream(
      call,
      inbox,
      () => this.wireNode(),
      (r) => encodeRequest(r as Parameters<typeof encodeRequest>[0]),
    );
  }

  delta(): DeltaTestStream {
    const inbox = new Inbox<DeltaDiscoveryResponse>();
    const call = this.client.makeBidiStreamRequest(
      `${ads}DeltaAggregatedResources`,
      (b: Buffer) => b,
      decodeDeltaResponse,
      this.metadata(),
    );
    call.on('data', (r: DeltaDiscoveryResponse) => inbox.put(r));
    call.on('error', (e: Error) => inbox.fail(e));
    return new TestStream(
      call,
      inbox,
      () => this.wireNode(),
      (r) => encodeDeltaRequest(r as Parameters<typeof encodeDeltaRequest>[0]),
    );
  }

  close(): void {
    this.client.close();
  }
}

/** One stream: requests are encoded by `encode`, the node is sent with the first. */
export class TestStream<Req extends object, Res> {
  private sentNode = false;
  readonly call: ClientDuplexStream<Buffer, Res>;
  readonly inbox: Inbox<Res>;
  private readonly node: () => object;
  private readonly encode: (r: Req & { node?: object }) => Buffer;

  constructor(
    call: ClientDuplexStream<Buffer, Res>,
    inbox: Inbox<Res>,
    node: () => object,
    encode: (r: Req & { node?: object }) => Buffer,
  ) {
    this.call = call;
    this.inbox = inbox;
    this.node = node;
    this.encode = encode;
  }

  send(r: Req): void {
    const node = this.sentNode ? {} : { node: this.node() };
    this.sentNode = true;
    this.call.write(this.encode({ ...node, ...r }));
  }

  next(timeoutMs?: number): Promise<Res> {
    return this.inbox.next(timeoutMs);
  }

  end(): void {
    this.call.end();
  }
}

export type SotwTestStream = TestStream<
  {
    typeUrl: string;
    resourceNames?: string[];
    versionInfo?: string;
    responseNonce?: string;
    errorDetail?: { code: number; message: string };
  },
  DiscoveryResponse
>;

export type DeltaTestStream = TestStream<
  {
    typeUrl: string;
    resourceNamesSubscribe?: string[];
    resourceNamesUnsubscribe?: string[];
    initialResourceVersions?: Record<string, string>;
    responseNonce?: string;
    errorDetail?: { code: number; message: string };
  },
  DeltaDiscoveryResponse
>;
