import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { olderThan, resolveTag, tagInUse } from './tag.ts';

const obj = (kind: string, name: string, created: string, extra: object = {}, uid = 'u'): KubeObject => ({
  apiVersion: 'sailoperator.io/v1',
  kind,
  metadata: { name, creationTimestamp: created, uid },
  ...extra,
});
const tag = (targetRef: object, name = 'prod', created = '2026-12-01T10:00:00Z') =>
  obj('IstioRevisionTag', name, created, { spec: { targetRef } });
const istio = obj('Istio', 'default', '2026-12-01T09:00:00Z', { status: { activeRevisionName: 'default-v1-32-0' } });
const rev = (name: string, created = '2026-12-01T09:00:00Z') =>
  obj('IstioRevision', name, created, { spec: { namespace: 'istio-system' } });

describe('IstioRevisionTag', () => {
  test('an Istio target resolves to its active revision, a revision target to itself', () => {
    const revisions = new Map([['default-v1-32-0', rev('default-v1-32-0')]]);
    expect(
      resolveTag(
        tag({ kind: 'Istio', name: 'default' }),
        () => istio,
        (n) => revisions.get(n),
      ),
    ).toEqual({
      ok: true,
      revision: 'default-v1-32-0',
      namespace: 'istio-system',
    });
    expect(
      resolveTag(
        tag({ kind: 'IstioRevision', name: 'default-v1-32-0' }),
        () => undefined,
        (n) => revisions.get(n),
      ),
    ).toMatchObject({ ok: true });
  });

  test('missing targets are RefNotFound with Sail messages', () => {
    expect(
      resolveTag(
        tag({ kind: 'Istio', name: 'x' }),
        () => undefined,
        () => undefined,
      ),
    ).toMatchObject({
      ok: false,
      reason: 'RefNotFound',
      message: 'referenced Istio resource does not exist',
    });
    expect(
      resolveTag(
        tag({ kind: 'IstioRevision', name: 'x' }),
        () => undefined,
        () => undefined,
      ),
    ).toMatchObject({
      message: 'referenced IstioRevision resource does not exist',
    });
  });

  test('an older IstioRevision with the same name wins: NameAlreadyExists', () => {
    const older = rev('prod', '2026-12-01T09:00:00Z');
    expect(
      resolveTag(
        tag({ kind: 'IstioRevision', name: 'prod' }),
        () => undefined,
        () => older,
      ),
    ).toMatchObject({ reason: 'NameAlreadyExists' });
    const younger = rev('prod', '2026-12-01T11:00:00Z');
    expect(
      resolveTag(
        tag({ kind: 'IstioRevision', name: 'prod' }),
        () => undefined,
        () => younger,
      ),
    ).toMatchObject({ ok: true });
    expect(
      olderThan(obj('A', 'a', '2026-12-01T10:00:00Z', {}, 'a'), obj('B', 'b', '2026-12-01T10:00:00Z', {}, 'b')),
    ).toBe(true);
  });

  test('in use through istio.io/rev labels', () => {
    const ns = (labels: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n', labels },
    });
    expect(tagInUse('prod', [ns({ 'istio.io/rev': 'prod' })]).status).toBe('True');
    expect(tagInUse('prod', [ns({ 'istio.io/rev': 'canary' })]).status).toBe('False');
    expect(tagInUse('default', [ns({ 'istio.io/dataplane-mode': 'ambient' })]).status).toBe('True');
  });
});
