// The model's AuthorizationPolicy rules (src/xds/model.ts PolicyRule) as a strict zod schema, for the golden-case
// fixtures of the generators: a misspelt field fails the test instead of being ignored.
import { z } from 'zod';

const strings = z.array(z.string()).optional();

const Source = z.strictObject({
  principals: strings,
  notPrincipals: strings,
  namespaces: strings,
  notNamespaces: strings,
  ipBlocks: strings,
  notIpBlocks: strings,
});

const Operation = z.strictObject({
  hosts: strings,
  notHosts: strings,
  ports: strings,
  notPorts: strings,
  methods: strings,
  notMethods: strings,
  paths: strings,
  notPaths: strings,
});

export const PolicyRuleFixture = z.strictObject({
  from: z.array(z.strictObject({ source: Source })).optional(),
  to: z.array(z.strictObject({ operation: Operation })).optional(),
  when: z.array(z.strictObject({ key: z.string(), values: strings, notValues: strings })).optional(),
});
