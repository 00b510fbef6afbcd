// What every long-running `ambit` command does alike: load the kubeconfig, and stop cleanly on SIGTERM/SIGINT.
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'winston';

/** `--kubeconfig`, else $KUBECONFIG, else client-node's defaults (in a pod: the service account). */
export function loadKubeConfig(flag: string | undefined, env: NodeJS.ProcessEnv): KubeConfig {
  const kc = new KubeConfig();
  const path = flag ?? env['KUBECONFIG'];
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}

/** On the first SIGTERM or SIGINT: `stop()` (finish work in flight), then exit 0. */
export function stopOnSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { reason: signal });
    void stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}
