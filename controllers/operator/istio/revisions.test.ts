import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { istioStatus } from './istio-status.ts';
import { activeRevisionName, revisionsToPrune, withTrustedZtunnel } from './revisions.ts';

const istio = (updateStrategy: object, version = 'v1.31.4'): KubeObject => ({
  apiVersion: 'sailoperator.io/v1',
  kind: 'Istio',
  metadata: { name: 'default', uid: 'u1', generation: 3 },
  spec: { version, namespace: 'istio-system', updateStrategy },
});
const rev = (
  name: string,
  inUse?: { status: string; lastTransitionTime: string },
  status: object = {},
): KubeObject => ({
  apiVersion: 'sailoperator.io/v1',
  kind: 'IstioRevision',
  metadata: { name, generation: 1 },
  status: { observedGeneration: 1, conditions: inUse ? [{ type: 'InUse', ...inUse }] : [], ...status },
});

describe('Istio revisions', () => {
  test('InPlace uses the Istio name; RevisionBased adds the version with dashes', () => {
    expect(activeRevisionName(istio({ type: 'InPlace' }))).toBe('default');
    expect(activeRevisionName(istio({ type: 'RevisionBased' }, 'v1.30.2'))).toBe('default-v1-30-2');
  });

  test('inactive revisions are pruned only after being unused for the grace period', () => {
    const now = new Date('2026-12-01T10:00:30Z');
    const owned = [
      rev('default-v1-31-4'),
      rev('old-unused', { status: 'False', lastTransitionTime: '2026-12-01T09:59:00Z' }),
      rev('old-recent', { status: 'False', lastTransitionTime: '2026-12-01T10:00:20Z' }),
      rev('old-used', { status: 'True', lastTransitionTime: '2026-12-01T09:00:00Z' }),
      rev('old-unknown'),
    ];
    expect(revisionsToPrune(owned, 'default-v1-31-4', 30, now)).toEqual({ prune: ['old-unused'], recheckInMs: 20_000 });
  });

  test('the trusted ztunnel namespace follows the ZTunnel unless the user set one', () => {
    const zt: KubeObject = {
      apiVersion: 'sailoperator.io/v1',
      kind: 'ZTunnel',
      metadata: { name: 'default' },
      spec: { namespace: 'zt' },
    };
    expect(withTrustedZtunnel({}, undefined, zt).pilot?.trustedZtunnelNamespace).toBe('zt');
    expect(
      withTrustedZtunnel(
        { pilot: { trustedZtunnelNamespace: 'mine' } },
        { pilot: { trustedZtunnelNamespace: 'mine' } },
        zt,
      ).pilot?.trustedZtunnelNamespace,
    ).toBe('mine');
    expect(withTrustedZtunnel({}, undefined, undefined).pilot).toBeUndefined();
  });
});

describe('Istio status', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  test("copies the active revision's conditions and counts revisions", () => {
    const active = rev('default', undefined, {
      conditions: [
        { type: 'Reconciled', status: 'True', reason: 'Reconciled' },
        { type: 'Ready', status: 'True', reason: 'Ready' },
        {
          type: 'DependenciesHealthy',
          status: 'False',
          reason: 'ZTunnelNotFound',
          message: 'ZTunnel resource does not exist',
        },
        { type: 'InUse', status: 'True', reason: 'ReferencedByWorkloads' },
      ],
    });
    const s = istioStatus({
      istio: istio({ type: 'InPlace' }),
      reconcileError: undefined,
      activeName: 'default',
      active,
      owned: [active],
      now,
    });
    expect(s.conditions.map((c) => [c.type, c.status, c.reason, c.observedGeneration])).toEqual([
      ['Reconciled', 'True', 'Reconciled', 3],
      ['Ready', 'True', 'Ready', 3],
      ['DependenciesHealthy', 'False', 'ZTunnelNotFound', 3],
    ]);
    expect(s.state).toBe('ZTunnelNotFound');
    expect(s.revisions).toEqual({ total: 1, ready: 1, inUse: 1 });
  });

  test('not Ready while the active revision has not reconciled its latest spec; Unknown on our own error', () => {
    const stale = { ...rev('default'), metadata: { name: 'default', generation: 2 } };
    const s = istioStatus({
      istio: istio({ type: 'InPlace' }),
      reconcileError: undefined,
      activeName: 'default',
      active: stale,
      owned: [stale],
      now,
    });
    expect(s.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'IstiodNotReady' });
    const failed = istioStatus({
      istio: istio({ type: 'InPlace' }),
      reconcileError: 'boom',
      activeName: 'default',
      active: undefined,
      owned: [],
      now,
    });
    expect(failed.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Reconciled', 'False', 'ReconcileError'],
      ['Ready', 'Unknown', 'ReconcileError'],
    ]);
    expect(failed.state).toBe('ReconcileError');
  });
});
