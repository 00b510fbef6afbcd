// Who this control plane is to the Gateway API: the controller name its GatewayClasses carry, the built-in waypoint
// class, and the name it writes route and Gateway status under (istiod's, so the two are interchangeable).
export const meshController = 'istio.io/mesh-controller';
export const waypointClass = 'istio-waypoint';
export const gatewayControllerName = 'istio.io/gateway-controller';
