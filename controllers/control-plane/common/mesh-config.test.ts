import { describe, expect, test } from '@jest/globals';
import { parseValues } from './mesh-config.ts';

const merged = (values: object) => ({ 'merged-values': JSON.stringify(values) });

describe('parseValues', () => {
  test("an empty string where the schema wants an enum is unset, as Helm's chart leaves it", () => {
    const values = parseValues(merged({ global: { imagePullPolicy: '', hub: 'docker.io/istio' } }));
    expect(values.global?.imagePullPolicy).toBeUndefined();
    expect(values.global?.hub).toBe('docker.io/istio');
  });

  test('any other invalid value is an error that names the field', () => {
    expect(() => parseValues(merged({ global: { imagePullPolicy: 'Sometimes' } }))).toThrow(
      /merged-values:[\s\S]*global\.imagePullPolicy/,
    );
  });
});
