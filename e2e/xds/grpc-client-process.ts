// Runs grpc-client.ts and grpc-xds-server.ts as child processes bootstrapped against our xDS server (through their
// pod's pilot-agent, which authenticates them); asks the client for batches of calls.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./grpc-client.ts', import.meta.url));
const serverScript = fileURLToPath(new URL('./grpc-xds-server.ts', import.meta.url));

/**
 * The environment of a gRPC process bootstrapped from `bootstrap` (what its pod's agent generated, pointing at the
 * agent's socket).
 */
export function grpcXdsEnv(bootstrap: object): NodeJS.ProcessEnv {
  // RBAC is off by default in grpc-js-xds 1.14; Istio's proxyless servers turn it on the same way.
  return {
    PATH: process.env['PATH'] ?? '',
    GRPC_XDS_BOOTSTRAP_CONFIG: JSON.stringify(bootstrap),
    GRPC_XDS_EXPERIMENTAL_RBAC: 'true',
  };
}

/** An xDS-enabled gRPC server process; resolves once it serves (its Listener has arrived). */
export async function startXdsGrpcServer(bootstrap: object, name: string, port: number): Promise<{ stop: () => void }> {
  const child = spawn(process.execPath, [serverScript, name, String(port)], { env: grpcXdsEnv(bootstrap) });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`xDS gRPC server ${name} never served; stderr: ${stderr}`)),
      30_000,
    );
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l === 'serving') {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`xDS gRPC server ${name} exited (${String(code)}): ${stderr}`)));
  });
  return { stop: () => child.kill('SIGTERM') };
}

export class GrpcClientProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private readonly waiters: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(bootstrap: object) {
    this.child = spawn(process.execPath, [script], { env: grpcXdsEnv(bootstrap) });
    createInterface({ input: this.child.stdout }).on('line', (l) => {
      const w = this.waiters.shift();
      if (w) w(l);
      else this.lines.push(l);
    });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
  }

  /** Makes `count` calls to `xds:///<target>`; resolves with where they landed (server name or `code=<n>`). */
  async calls(count: number, target: string, header?: string, timeoutMs = 30_000): Promise<Record<string, number>> {
    this.child.stdin.write(`${String(count)} ${target}${header ? ` ${header}` : ''}\n`);
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

  /**
   * Batches of `count` calls until `check` holds for one, for `timeoutMs` at most: configuration reaches a client
   * within seconds (through its agent, on a busy machine), and a batch of failing calls can take far less.
   */
  async until(
    count: number,
    target: string,
    check: (counts: Record<string, number>) => boolean,
    header?: string,
    timeoutMs = 20_000,
  ): Promise<Record<string, number>> {
    const deadline = Date.now() + timeoutMs;
    let last: Record<string, number>;
    do {
      last = await this.calls(count, target, header);
      if (check(last)) return last;
      await delay(100);
    } while (Date.now() < deadline);
    throw new Error(`routing never became as expected; last batch: ${JSON.stringify(last)}; stderr: ${this.stderr}`);
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill('SIGTERM');
  }
}
