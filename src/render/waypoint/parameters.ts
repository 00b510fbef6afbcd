// Where a waypoint's overlays come from: its class's defaults ConfigMap, then the ConfigMap the Gateway's
// spec.infrastructure.parametersRef names (in the Gateway's namespace). The later overlay wins.
import type { KubeObject } from '../../kube/objects.ts';
import { WaypointRenderError } from './errors.ts';
import { gatewaySpec } from './input.ts';
import type { WaypointInput } from './input.ts';

/** The label of a ConfigMap, in the control plane's namespace, that holds overlays for every Gateway of a class. */
export const classDefaultsLabel = 'gateway.istio.io/defaults-for-class';

export interface ConfigMapReference {
  namespace: string;
  name: string;
}

/** The ConfigMap spec.infrastructure.parametersRef names, if any; only core ConfigMaps are understood. */
export function parametersReference(gateway: KubeObject): ConfigMapReference | undefined {
  const ref = gatewaySpec(gateway).infrastructure?.parametersRef;
  if (!ref) return undefined;
  const group = ref.group ?? '';
  const kind = ref.kind ?? '';
  if (group !== '' || kind !== 'ConfigMap') {
    throw new WaypointRenderError(
      'InvalidParameters',
      `invalid parameters: unknown infrastructure parameters type ${group}/${kind}`,
    );
  }
  return { namespace: gateway.metadata.namespace ?? '', name: ref.name ?? '' };
}

/** The overlays in the order they apply; a parametersRef to a ConfigMap the caller did not find fails the render. */
export function overlaysOf(input: WaypointInput): Record<string, string>[] {
  const overlays: Record<string, string>[] = [];
  if (input.classDefaults) overlays.push(input.classDefaults);
  const ref = parametersReference(input.gateway);
  if (ref) {
    if (!input.parameters) {
      throw new WaypointRenderError(
        'InvalidParameters',
        `parametersRef targeting configmap "${ref.namespace}/${ref.name}", but configmap does not exist`,
      );
    }
    overlays.push(input.parameters);
  }
  return overlays;
}
