// Installs the CRDs from crds/ the way users do (client-side `kubectl apply`) and waits until they are served.
import { kubectl } from './cluster.ts';

export async function applyCrds(): Promise<void> {
  await kubectl(['apply', '-f', 'crds/']);
  await kubectl(['wait', '--for=condition=Established', '-f', 'crds/', '--timeout=60s']);
}
