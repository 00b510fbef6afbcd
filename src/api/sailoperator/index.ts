import type { CrdDefinition } from '../crd/definition.ts';
import { istioCrd } from './istio.ts';
import { istioCniCrd } from './istiocni.ts';
import { istioRevisionCrd } from './istiorevision.ts';
import { istioRevisionTagCrd } from './istiorevisiontag.ts';
import { ztunnelCrd } from './ztunnel.ts';

export const sailCrds: CrdDefinition[] = [istioCrd, istioRevisionCrd, istioRevisionTagCrd, istioCniCrd, ztunnelCrd];
