// What every reconciler of the operator gets: the API client, the caches, the event recorder and the settings; and
// the shape of an operator controller.
import type { KubeClient } from '../../../src/kube/client.ts';
import type { ControllerDefinition } from '../../../src/kube/controller.ts';
import type { EventRecorder } from '../../../src/kube/events.ts';
import type { Platform } from '../../../src/render/values/types.ts';
import type { Caches } from './caches.ts';

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

/** An operator controller: its name, reconcile and watches. */
export type OperatorController = ControllerDefinition<OperatorContext>;

/** Sail's finalizer, so CRs a Sail install created are cleaned up by Ambit too. */
export const finalizer = 'sailoperator.io/sail-operator';
