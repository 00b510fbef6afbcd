import type { CrdDefinition } from '../crd/definition.ts';
import { destinationRuleCrd } from './destination-rule.ts';
import { authorizationPolicyCrd, peerAuthenticationCrd, requestAuthenticationCrd } from './security.ts';
import { telemetryCrd } from './telemetry.ts';
import {
  envoyFilterCrd,
  gatewayCrd,
  proxyConfigCrd,
  sidecarCrd,
  trafficExtensionCrd,
  wasmPluginCrd,
} from './untyped.ts';
import { virtualServiceCrd } from './virtual-service.ts';
import { serviceEntryCrd, workloadEntryCrd, workloadGroupCrd } from './workload-entry.ts';

export const istioCrds: CrdDefinition[] = [
  virtualServiceCrd,
  destinationRuleCrd,
  serviceEntryCrd,
  workloadEntryCrd,
  workloadGroupCrd,
  gatewayCrd,
  sidecarCrd,
  envoyFilterCrd,
  proxyConfigCrd,
  authorizationPolicyCrd,
  peerAuthenticationCrd,
  requestAuthenticationCrd,
  telemetryCrd,
  wasmPluginCrd,
  trafficExtensionCrd,
];
