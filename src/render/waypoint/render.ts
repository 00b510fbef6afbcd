// A waypoint Gateway → the objects that run it, in the order istiod applies them: ServiceAccount, Deployment,
// Service, then the HorizontalPodAutoscaler and PodDisruptionBudget when overlays configure them. Pure: the caller
// looks up the overlays' ConfigMaps and the live Deployment and applies the result.
import type { KubeObject } from '../../kube/objects.ts';
import { waypointDeployment } from './deployment.ts';
import { managedLabel } from './input.ts';
import type { WaypointInput } from './input.ts';
import { keepLegacySelector } from './legacy-selector.ts';
import { sorted, waypointMeta } from './metadata.ts';
import { applyOverlays } from './overlays.ts';
import { overlaysOf } from './parameters.ts';
import { waypointService } from './service.ts';
import { waypointAutoscaler, waypointDisruptionBudget, waypointServiceAccount } from './small-objects.ts';

/** Throws WaypointRenderError when the Gateway or its overlays are invalid; nothing should be applied then. */
export function renderWaypoint(input: WaypointInput): KubeObject[] {
  const overlays = overlaysOf(input);
  const meta = waypointMeta(input);
  const rendered = applyOverlays(
    [
      waypointServiceAccount(meta),
      waypointDeployment(input, meta),
      waypointService(input, meta),
      waypointAutoscaler(meta),
      waypointDisruptionBudget(meta),
    ],
    overlays,
  );
  // After the overlays, which may change neither: the managed label marks what the controller may write again,
  // and a live selector cannot change.
  return rendered.map((object) => {
    const kept = object.kind === 'Deployment' ? keepLegacySelector(object, input.existingDeployment) : object;
    return withManagedLabel(kept, input.controllerLabel);
  });
}

function withManagedLabel(object: KubeObject, controllerLabel: string): KubeObject {
  const labels = sorted({ ...object.metadata.labels, [managedLabel]: controllerLabel });
  return { ...object, metadata: { ...object.metadata, labels } };
}
