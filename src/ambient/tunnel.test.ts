import { describe, expect, test } from '@jest/globals';
import { tunnelOf } from './tunnel.ts';

describe('tunnelOf', () => {
  test('HBONE once the CNI marked the workload redirected; enrolment alone is not enough', () => {
    expect(tunnelOf({ annotations: { 'ambient.istio.io/redirection': 'enabled' } })).toEqual({
      hbone: true,
      native: false,
    });
    expect(tunnelOf({ labels: { 'istio.io/dataplane-mode': 'ambient' } })).toEqual({ hbone: false, native: false });
    expect(tunnelOf({ annotations: { 'ambient.istio.io/redirection': 'disabled' } })).toEqual({
      hbone: false,
      native: false,
    });
    expect(tunnelOf({})).toEqual({ hbone: false, native: false });
  });

  test('a workload listing http in networking.istio.io/tunnel speaks HBONE itself', () => {
    expect(tunnelOf({ labels: { 'networking.istio.io/tunnel': 'http' } })).toEqual({ hbone: true, native: true });
    expect(tunnelOf({ labels: { 'networking.istio.io/tunnel': 'tcp,http' } })).toEqual({ hbone: true, native: true });
    expect(tunnelOf({ labels: { 'networking.istio.io/tunnel': 'https' } })).toEqual({ hbone: false, native: false });
  });
});
