import { describe, expect, test } from '@jest/globals';
import { checkNamespace, checkVersion } from './install-check.ts';

describe('install checks', () => {
  test('aliases resolve; EOL and unknown versions are refused with a fix', () => {
    const alias = checkVersion('v1.31-latest');
    expect(alias.ok && alias.value.name).toBe('v1.31.4');
    const eol = checkVersion('v1.28.0');
    expect(eol.ok).toBe(false);
    expect(!eol.ok && eol.problem).toMatchObject({
      eventReason: 'VersionEndOfLife',
      message: expect.stringContaining(
        'validation error: version "v1.28.0" is end-of-life and cannot be installed; use a supported version',
      ),
    });
    const unknown = checkVersion('v0.1.0');
    expect(!unknown.ok && unknown.problem.eventReason).toBe('VersionNotSupported');
  });

  test('a missing or terminating namespace is a problem naming the namespace and the fix', () => {
    expect(checkNamespace('istio-system', undefined)?.message).toContain(
      'namespace "istio-system" doesn\'t exist; create it (kubectl create namespace istio-system)',
    );
    const terminating = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'x', deletionTimestamp: '2026-12-01T00:00:00Z' },
    };
    expect(checkNamespace('x', terminating)?.eventReason).toBe('NamespaceTerminating');
    expect(checkNamespace('x', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } })).toBeUndefined();
  });
});
