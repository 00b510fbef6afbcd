import { describe, expect, test } from '@jest/globals';
import { mergeSchemas } from './merge-keys.ts';
import { StrategicMergeError, strategicMerge } from './strategic-merge.ts';

const deployment = mergeSchemas.deployment;

function podSpec(spec: Record<string, unknown>) {
  return { spec: { template: { spec } } };
}

describe('strategicMerge', () => {
  test('merges maps and deletes keys set to null', () => {
    const original = { a: { b: 1, c: 2 }, d: 'x' };
    expect(strategicMerge(original, { a: { c: null, e: 3 }, d: null }, {})).toEqual({ a: { b: 1, e: 3 } });
    expect(original).toEqual({ a: { b: 1, c: 2 }, d: 'x' });
  });

  test('drops nulls from maps the original does not have', () => {
    expect(strategicMerge({}, { a: { b: null, c: 1 } }, {})).toEqual({ a: { c: 1 } });
  });

  test('merges containers by name, and their env by name and ports by containerPort', () => {
    const original = podSpec({
      containers: [
        {
          name: 'istio-proxy',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          ports: [{ containerPort: 15020, name: 'metrics' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    });
    const patch = podSpec({
      containers: [
        {
          name: 'istio-proxy',
          env: [
            { name: 'B', value: 'changed' },
            { name: 'C', value: '3' },
          ],
          ports: [{ containerPort: 15020, protocol: 'TCP' }],
          resources: { requests: { cpu: null } },
        },
        { name: 'sidecar', image: 'example.com/sidecar' },
      ],
    });
    expect(strategicMerge(original, patch, deployment)).toEqual(
      podSpec({
        containers: [
          {
            name: 'istio-proxy',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: 'changed' },
              { name: 'C', value: '3' },
            ],
            ports: [{ containerPort: 15020, name: 'metrics', protocol: 'TCP' }],
            resources: { requests: { memory: '128Mi' } },
          },
          { name: 'sidecar', image: 'example.com/sidecar' },
        ],
      }),
    );
  });

  test('merges volumes by name and volumeMounts by mountPath', () => {
    const original = podSpec({
      volumes: [{ name: 'data', emptyDir: {} }],
      containers: [{ name: 'c', volumeMounts: [{ mountPath: '/data', name: 'data' }] }],
    });
    const patch = podSpec({
      volumes: [
        { name: 'data', emptyDir: { medium: 'Memory' } },
        { name: 'extra', configMap: { name: 'x' } },
      ],
      containers: [{ name: 'c', volumeMounts: [{ mountPath: '/data', readOnly: true }] }],
    });
    expect(strategicMerge(original, patch, deployment)).toEqual(
      podSpec({
        volumes: [
          { name: 'data', emptyDir: { medium: 'Memory' } },
          { name: 'extra', configMap: { name: 'x' } },
        ],
        containers: [{ name: 'c', volumeMounts: [{ mountPath: '/data', name: 'data', readOnly: true }] }],
      }),
    );
  });

  test('replaces lists without a merge key: tolerations, args', () => {
    const original = podSpec({
      tolerations: [{ key: 'a', operator: 'Exists' }],
      containers: [{ name: 'c', args: ['one', 'two'] }],
    });
    const patch = podSpec({
      tolerations: [{ key: 'b', operator: 'Exists' }],
      containers: [{ name: 'c', args: ['three'] }],
    });
    expect(strategicMerge(original, patch, deployment)).toEqual(
      podSpec({ tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'c', args: ['three'] }] }),
    );
  });

  test('merges Service ports by port', () => {
    const original = {
      spec: {
        ports: [
          { name: 'status-port', port: 15021 },
          { name: 'mesh', port: 15008 },
        ],
      },
    };
    const patch = {
      spec: {
        ports: [
          { port: 15008, name: 'hbone' },
          { port: 8080, name: 'http' },
        ],
      },
    };
    expect(strategicMerge(original, patch, mergeSchemas.service)).toEqual({
      spec: {
        ports: [
          { name: 'status-port', port: 15021 },
          { name: 'hbone', port: 15008 },
          { name: 'http', port: 8080 },
        ],
      },
    });
  });

  test('deletes a list element with $patch: delete and replaces a list with a {$patch: replace} element', () => {
    const original = podSpec({ containers: [{ name: 'a' }, { name: 'b' }] });
    expect(strategicMerge(original, podSpec({ containers: [{ name: 'a', $patch: 'delete' }] }), deployment)).toEqual(
      podSpec({ containers: [{ name: 'b' }] }),
    );
    expect(
      strategicMerge(original, podSpec({ containers: [{ $patch: 'replace' }, { name: 'c' }] }), deployment),
    ).toEqual(podSpec({ containers: [{ name: 'c' }] }));
  });

  test('replaces a map with $patch: replace and deletes one with $patch: delete', () => {
    const original = { a: { b: 1, c: 2 }, d: { e: 1 } };
    expect(strategicMerge(original, { a: { $patch: 'replace', c: 3 }, d: { $patch: 'delete' } }, {})).toEqual({
      a: { c: 3 },
    });
  });

  test('keeps the original order of elements the patch reorders only relative to others', () => {
    const original = podSpec({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
    const patch = podSpec({
      containers: [
        { name: 'c', x: 1 },
        { name: 'a', x: 1 },
      ],
    });
    // Kubernetes' normalizeElementOrder: patched elements in patch order, interleaved with the rest by position.
    expect(strategicMerge(original, patch, deployment)).toEqual(
      podSpec({ containers: [{ name: 'b' }, { name: 'c', x: 1 }, { name: 'a', x: 1 }] }),
    );
  });

  test('refuses a merge-list element without its merge key, and unknown directives', () => {
    expect(() =>
      strategicMerge(podSpec({ containers: [] }), podSpec({ containers: [{ image: 'x' }] }), deployment),
    ).toThrow(new StrategicMergeError('map: {"image":"x"} does not contain declared merge key: name'));
    expect(() => strategicMerge({}, { $retainKeys: ['a'] }, {})).toThrow(StrategicMergeError);
    expect(() => strategicMerge({}, { a: { $patch: 'sideways' } }, {})).toThrow('unknown patch type "sideways"');
  });
});
