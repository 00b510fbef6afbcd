// The generator at the size it is benchmarked at (1,000 Services, 10,000 endpoints, 100 waypoints; `make bench`
// times it): every Service is covered, and an index passed in gives what generating without one gives.
import { describe, expect, test } from '@jest/globals';
import { syntheticMesh, syntheticMeshSize } from '../../testing/synthetic-mesh.ts';
import { indexModel, waypointResources } from './generate.ts';

describe('at benchmark scale', () => {
  const model = syntheticMesh();
  const { NAMESPACES, SERVICES_PER_NAMESPACE } = syntheticMeshSize;

  test('generating for all 100 waypoints from one index covers every Service', () => {
    const index = indexModel(model);
    const all = model.waypoints.map((w) => waypointResources(model, w, index));
    const endpoints = all.reduce((n, r) => n + r.endpoints.length, 0);
    // 1,000 Services × 3 clusters (http, and http + tcp for the unknown port), plus an outbound cluster per route
    // table: its second backend is bound to the namespace's other waypoint.
    expect(endpoints).toBe(NAMESPACES * SERVICES_PER_NAMESPACE * 3 + model.routes.length);
  });

  test('an index passed in gives what generating without one gives', () => {
    const index = indexModel(model);
    for (const w of model.waypoints.slice(0, 5)) {
      expect(waypointResources(model, w, index)).toEqual(waypointResources(model, w));
    }
  });
});
