import { describe, expect, test } from '@jest/globals';
import { computeIntent } from '../common/component-reconciler.ts';
import { zTunnel, type ZTunnelObserved } from './ztunnel-controller.ts';

const now = new Date('2026-12-07T10:00:00Z');
const observed = (target: ZTunnelObserved['target']): ZTunnelObserved => ({
  cr: { apiVersion: 'sailoperator.io/v1', kind: 'ZTunnel', metadata: { name: 'default', uid: 'z1', generation: 1 } },
  spec: { version: 'v1.32.0', profile: 'ambient', namespace: 'ztunnel' } as ZTunnelObserved['spec'],
  namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ztunnel' } },
  target,
  daemonSet: undefined,
  platform: 'kubernetes',
  managedBy: 'ambit',
});

describe('ZTunnel pure parts', () => {
  test('a missing target is an InvalidValues problem carrying how to fix it', () => {
    const message = 'referenced Istio "x" not found; create it or fix spec.targetRef';
    expect(computeIntent(zTunnel, observed({ kind: 'missing', message }))).toEqual({
      problem: { eventReason: 'InvalidValues', message },
    });
  });

  test('the target revision is inherited and reported in status.istioRevision', () => {
    const resolved = observed({ kind: 'resolved', revision: 'canary', values: { revision: 'canary' } });
    const intent = computeIntent(zTunnel, resolved);
    const ds = 'objects' in intent ? intent.objects.find((o) => o.kind === 'DaemonSet') : undefined;
    expect(JSON.stringify(ds)).toContain('istiod-canary');
    expect(zTunnel.report(resolved, { reconcileError: undefined }, now).status).toMatchObject({
      istioRevision: 'canary',
    });
    expect(zTunnel.report(observed({ kind: 'none' }), { reconcileError: undefined }, now).status['istioRevision']).toBe(
      '',
    );
  });
});
