// JSON over HTTPS to the API server. Authentication and TLS come from @kubernetes/client-node's KubeConfig
// (client certificates, bearer and in-cluster token files, exec plugins); requests are sent raw so that objects
// pass through unchanged (the generated models drop fields they do not know) and every write carries our own user
// agent and field manager. Each request is bounded in time.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { Counter } from 'prom-client';
import { metricsRegistry } from './metrics.ts';

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** The Accept header; JSON by default. */
  accept?: string;
  timeoutMs?: number;
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** A failed request: the API server's Status (code, reason, message, causes) or a transport error (code 0). */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly causes: StatusCause[];

  constructor(code: number, reason: string, message: string, causes: StatusCause[] = []) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.causes = causes;
  }
}

export const isNotFound = (e: unknown) => e instanceof ApiError && e.code === 404;
export const isConflict = (e: unknown) => e instanceof ApiError && e.code === 409;
export const isGone = (e: unknown) => e instanceof ApiError && e.code === 410;
/** The API server refused the object itself (422; for several writes, every one): the same intent cannot succeed. */
export const isInvalid = (e: unknown): boolean =>
  e instanceof AggregateError
    ? e.errors.length > 0 && e.errors.every(isInvalid)
    : e instanceof ApiError && e.code === 422;

const requestsTotal = new Counter({
  name: 'rest_client_requests_total',
  help: 'Number of HTTP requests to the API server, partitioned by status code, method, and host.',
  labelNames: ['code', 'method', 'host'] as const,
  registers: [metricsRegistry],
});

export type WatchLine = (line: string) => void;

export class ApiClient {
  private readonly server: URL;
  private readonly agent: http.Agent;

  private readonly kubeConfig: KubeConfig;
  private readonly userAgent: string;
  private readonly defaultTimeoutMs: number;

  constructor(kubeConfig: KubeConfig, userAgent: string, defaultTimeoutMs = 30_000) {
    this.kubeConfig = kubeConfig;
    this.userAgent = userAgent;
    this.defaultTimeoutMs = defaultTimeoutMs;
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster; set KUBECONFIG or --kubeconfig');
    this.server = new URL(cluster.server);
    const Agent = this.server.protocol === 'http:' ? http.Agent : https.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 32 });
  }

  get host(): string {
    return this.server.host;
  }

  async request<T>(opts: RequestOptions): Promise<T> {
    const res = await this.send(opts, opts.timeoutMs ?? this.defaultTimeoutMs);
    const text = await readBody(res);
    requestsTotal.inc({ code: String(res.statusCode ?? 0), method: opts.method, host: this.server.host });
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
    throw toApiError(status, text);
  }

  /**
   * A watch stream: calls `onLine` for each JSON line until the server ends the stream (its timeoutSeconds), the
   * signal aborts, or nothing arrives for `idleMs` (a silently dead connection).
   */
  async watch(
    path: string,
    query: RequestOptions['query'],
    onLine: WatchLine,
    signal: AbortSignal,
    idleMs: number,
    accept?: string,
  ): Promise<void> {
    const res = await this.send(
      { method: 'GET', path, query: { ...query, watch: true }, ...(accept ? { accept } : {}) },
      idleMs,
      signal,
    );
    requestsTotal.inc({ code: String(res.statusCode ?? 0), method: 'WATCH', host: this.server.host });
    if (res.statusCode !== 200) throw toApiError(res.statusCode ?? 0, await readBody(res));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          try {
            onLine(line);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
            res.destroy();
            return;
          }
        }
      });
      res.on('end', () => resolve());
      res.on('error', reject);
      res.on('aborted', () => reject(new ApiError(0, 'Aborted', 'watch connection aborted')));
    });
  }

  private async send(opts: RequestOptions, timeoutMs: number, signal?: AbortSignal): Promise<http.IncomingMessage> {
    const url = new URL(opts.path, this.server);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const options: https.RequestOptions = {
      method: opts.method,
      agent: this.agent,
      headers: {
        accept: opts.accept ?? 'application/json',
        'user-agent': this.userAgent,
        ...(body === undefined
          ? {}
          : { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) }),
      },
      ...(signal ? { signal } : {}),
    };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, options, resolve);
      // The socket timeout fires on inactivity: for a request its whole answer, for a watch the gap between events.
      req.setTimeout(timeoutMs, () =>
        req.destroy(new ApiError(0, 'Timeout', `${opts.method} ${url.pathname}: no answer in ${timeoutMs} ms`)),
      );
      req.on('error', (err) =>
        reject(
          err instanceof ApiError
            ? err
            : new ApiError(0, 'TransportError', `${opts.method} ${url.pathname}: ${err.message}`),
        ),
      );
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

function toApiError(code: number, text: string): ApiError {
  try {
    const status = JSON.parse(text) as { reason?: string; message?: string; details?: { causes?: StatusCause[] } };
    return new ApiError(code, status.reason ?? 'Unknown', status.message ?? text, status.details?.causes ?? []);
  } catch {
    return new ApiError(code, 'Unknown', text || `HTTP ${code}`);
  }
}
