// ServiceEntries as a set: any malformed object is reported and skipped, never thrown, and the hostname winners do
// not depend on the order the caches list objects in.
import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../kube/objects.ts';
import type { Service } from '../../xds/model/model.ts';
import { parseServiceEntries } from './service-entries.ts';
import { settleHostnames } from './service-hostnames.ts';

const se = (name: string, spec: unknown): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name, namespace: 'ns' },
  spec,
});

describe('parseServiceEntries', () => {
  test('a field of the wrong type costs only its object', () => {
    const { entries, problems } = parseServiceEntries([
      se('garbage', { hosts: ['g.example.com'], ports: 'eighty' }),
      se('fine', { hosts: ['f.example.com'], resolution: 'STATIC' }),
    ]);
    expect(entries.map((e) => e.name)).toEqual(['fine']);
    expect(problems).toEqual([
      {
        serviceEntry: 'ns/garbage',
        message: expect.stringMatching(/^the ServiceEntry cannot be read .*; it is skipped$/),
      },
    ]);
  });
});

describe('settleHostnames', () => {
  const entry = (name: string, namespace: string, created: string): Service => ({
    name,
    namespace,
    hostname: 'h.example.com',
    vips: [],
    ports: [],
    endpoints: [],
    creationTimestamp: created,
    serviceEntry: { resolution: 'STATIC', location: 'MESH_EXTERNAL', subjectAltNames: [], canonical: false },
  });
  const entries = [
    entry('late', 'a', '2025-03-01T00:00:00Z'),
    entry('early', 'a', '2025-01-01T00:00:00Z'),
    entry('tie-b', 'b', '2025-01-01T00:00:00Z'),
    entry('mid', 'c', '2025-02-01T00:00:00Z'),
  ];
  const outcome = (list: Service[]) => {
    const { services, problems } = settleHostnames([], list);
    const kept = services.map((s) => `${s.namespace}/${s.name}:${String(s.serviceEntry?.canonical)}`).sort();
    return { kept, lost: problems.map((p) => p.serviceEntry) };
  };

  test('per namespace the oldest wins; the oldest winner (then by namespace) is canonical', () => {
    expect(outcome(entries)).toEqual({ kept: ['a/early:true', 'b/tie-b:false', 'c/mid:false'], lost: ['a/late'] });
  });

  test('whatever the input order', () => {
    expect(outcome([...entries].reverse())).toEqual(outcome(entries));
  });
});
