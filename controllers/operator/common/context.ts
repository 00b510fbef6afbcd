// What every reconciler of the operator gets: the API client, the caches, the event recorder and the settings.
import type { KubeClient } from '../../../src/kube/client.ts';
import type { EventRecorder } from '../../../src/kube/events.ts';
import type { Caches } from './caches.ts';

export type Platform = 'kubernetes' | 'openshift';

export interface OperatorSettings {
  /** Value of the managed-by label on everything rendered. */
  managedBy: string;
  /** The image of `ambit control-plane` that istiod Deployments run. */
  controlPlaneImage: string;
  platform: Platform;
}

export interface OperatorContext {
  client: KubeClient;
  caches: Caches;
  events: EventRecorder;
  settings: OperatorSettings;
  now: () => Date;
}

/** Sail's finalizer, so CRs a Sail install created are cleaned up by Ambit too. */
export const finalizer = 'sailoperator.io/sail-operator';
