// Runs grpc-client.ts as a child process with a bootstrap naming our xDS server, and asks it for batches of calls.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./grpc-client.ts', import.meta.url));

export class GrpcClientProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private readonly waiters: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(xdsAddress: string, namespace: string) {
    const bootstrap = {
      xds_servers: [{ server_uri: xdsAddress, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
      node: {
        id: `sidecar~127.0.0.1~grpc-client.${namespace}~${namespace}.svc.cluster.local`,
        metadata: { GENERATOR: 'grpc', NAMESPACE: namespace },
        locality: {},
      },
    };
    this.child = spawn(process.execPath, [script], {
      env: { PATH: process.env['PATH'] ?? '', GRPC_XDS_BOOTSTRAP_CONFIG: JSON.stringify(bootstrap) },
    });
    createInterface({ input: this.child.stdout }).on('line', (l) => {
      const w = this.waiters.shift();
      if (w) w(l);
      else this.lines.push(l);
    });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
  }

  /** Makes `count` calls to `xds:///<target>`; resolves with where they landed (server name or `code=<n>`). */
  async calls(count: number, target: string, timeoutMs = 30_000): Promise<Record<string, number>> {
    this.child.stdin.write(`${String(count)} ${target}\n`);
    const line =
      this.lines.shift() ??
      (await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`gRPC client gave no answer in ${String(timeoutMs)} ms; stderr: ${this.stderr}`)),
          timeoutMs,
        );
        this.waiters.push((l) => {
          clearTimeout(timer);
          resolve(l);
        });
      }));
    return JSON.parse(line) as Record<string, number>;
  }

  /** Batches of `count` calls until `check` holds for one (bounded): configuration reaches a client within seconds. */
  async until(
    count: number,
    target: string,
    check: (counts: Record<string, number>) => boolean,
    attempts = 40,
  ): Promise<Record<string, number>> {
    let last: Record<string, number> = {};
    for (let i = 0; i < attempts; i++) {
      last = await this.calls(count, target);
      if (check(last)) return last;
    }
    throw new Error(`routing never became as expected; last batch: ${JSON.stringify(last)}; stderr: ${this.stderr}`);
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill('SIGTERM');
  }
}
