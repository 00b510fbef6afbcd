// Why a waypoint could not be rendered. The messages are istiod's, word for word, so users searching for them find
// Istio's documentation and issues; `reason` is the Gateway API condition reason a controller reports with them.

/** InvalidParameters: a class-defaults or parametersRef ConfigMap is wrong. Invalid: the Gateway itself is. */
export type WaypointRenderReason = 'InvalidParameters' | 'Invalid';

export class WaypointRenderError extends Error {
  readonly reason: WaypointRenderReason;

  constructor(reason: WaypointRenderReason, message: string) {
    super(message);
    this.name = 'WaypointRenderError';
    this.reason = reason;
  }
}
