// Waypoints made before Istio 1.24 select their pods by istio.io/gateway-name too. A Deployment's selector is
// immutable, so a live Deployment that has it keeps it, and its pods keep the label (istio/istio#54145).
import type { KubeObject } from '../../kube/objects.ts';
import { deepCopy, isTree, valueAt } from '../values/tree.ts';
import { sorted } from './metadata.ts';

export const legacyGatewayNameLabel = 'istio.io/gateway-name';

/** The Deployment with the live one's selector and pod label when that selector has the legacy label. */
export function keepLegacySelector(deployment: KubeObject, existing: KubeObject | undefined): KubeObject {
  const selector = valueAt(existing, 'spec', 'selector');
  const legacy = valueAt(selector, 'matchLabels', legacyGatewayNameLabel);
  if (typeof legacy !== 'string' || legacy === '') return deployment;
  const result = deepCopy(deployment);
  const spec = result['spec'];
  const metadata = valueAt(spec, 'template', 'metadata');
  if (!isTree(spec) || !isTree(metadata)) return deployment;
  spec['selector'] = deepCopy(selector);
  const podLabel = valueAt(existing, 'spec', 'template', 'metadata', 'labels', legacyGatewayNameLabel);
  const labels = isTree(metadata['labels']) ? (metadata['labels'] as Record<string, string>) : {};
  metadata['labels'] = sorted({
    ...labels,
    [legacyGatewayNameLabel]: typeof podLabel === 'string' ? podLabel : legacy,
  });
  return result;
}
