// WorkloadEntry (a non-Kubernetes workload: VM, or a local process in tests), WorkloadGroup (a template of them)
// and ServiceEntry (a service the mesh knows from outside Kubernetes' registry), networking.istio.io.
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { istioCrd, Port, StringMap, uint32 } from './common.ts';

const versions = ['v1', 'v1alpha3', 'v1beta1'];
const group = 'networking.istio.io';

const isUds = (field: string) => `(has(self.${field}) && self.${field}.startsWith('unix://'))`;
const udsHasNoPorts = { rule: `!${isUds('address')} || !has(self.ports)`, message: 'UDS may not include ports' };
const addressRequired = { rule: 'has(self.address) || has(self.network)', message: 'Address is required' };

const Address = z
  .string()
  .max(256)
  .meta({
    'x-kubernetes-validations': [
      {
        rule: "!self.startsWith('unix://') || (size(self) > 7 && self.substring(7, 8) in ['/', '@'])",
        message: 'UDS must be an absolute path or abstract socket',
      },
      { rule: "!self.startsWith('unix://') || !self.endsWith('/')", message: 'UDS may not be a dir' },
    ],
  });

const workloadEntryFields = {
  address: Address.optional(),
  labels: StringMap.meta({ maxProperties: 256 }).optional(),
  locality: z.string().max(2048).optional(),
  network: z.string().max(2048).optional(),
  ports: z
    .record(z.string(), Port)
    .meta({
      maxProperties: 128,
      'x-kubernetes-validations': [
        {
          rule: "self.all(key, size(key) < 63 && key.matches('^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$'))",
          message: 'port name must be valid',
        },
      ],
    })
    .optional(),
  serviceAccount: z.string().max(253).optional(),
  weight: uint32.optional(),
};

export const WorkloadEntrySpec = z
  .object(workloadEntryFields)
  .meta({ 'x-kubernetes-validations': [addressRequired, udsHasNoPorts] });
export type WorkloadEntrySpec = z.infer<typeof WorkloadEntrySpec>;

const probePort = z.object({ port: Port });
const Probe = z
  .object({
    exec: z.object({ command: z.array(z.string().min(1)) }).optional(),
    failureThreshold: z.int32().min(0).optional(),
    grpc: z.object({ port: Port.optional(), service: z.string().optional() }).optional(),
    httpGet: probePort
      .extend({
        host: z.string().optional(),
        httpHeaders: z
          .array(
            z.object({
              name: z
                .string()
                .regex(/^[-_A-Za-z0-9]+$/)
                .optional(),
              value: z.string().optional(),
            }),
          )
          .optional(),
        path: z.string().optional(),
        scheme: z
          .string()
          .optional()
          .meta({
            'x-kubernetes-validations': [
              { rule: "self in ['', 'HTTP', 'HTTPS']", message: 'scheme must be one of [HTTP, HTTPS]' },
            ],
          }),
      })
      .optional(),
    initialDelaySeconds: z.int32().min(0).optional(),
    periodSeconds: z.int32().min(0).optional(),
    successThreshold: z.int32().min(0).optional(),
    tcpSocket: probePort.extend({ host: z.string().optional() }).optional(),
    timeoutSeconds: z.int32().min(0).optional(),
  })
  .meta({ atMostOneOf: ['httpGet', 'tcpSocket', 'exec', 'grpc'] });

export const WorkloadGroupSpec = z.object({
  metadata: z
    .object({
      annotations: StringMap.meta({ maxProperties: 256 }).optional(),
      labels: StringMap.meta({ maxProperties: 256 }).optional(),
    })
    .optional(),
  probe: Probe.optional(),
  template: z.object(workloadEntryFields).meta({ 'x-kubernetes-validations': [udsHasNoPorts] }),
});

const ServicePort = z.object({
  name: z.string().max(256),
  number: Port,
  protocol: z.string().max(256).optional(),
  targetPort: Port.optional(),
});

const resolution = "(has(self.resolution) ? self.resolution : 'NONE')";
export const ServiceEntrySpec = z
  .object({
    hosts: z
      .array(
        z
          .string()
          .meta({ 'x-kubernetes-validations': [{ rule: "self != '*'", message: 'hostname cannot be wildcard' }] }),
      )
      .min(1)
      .max(256),
    addresses: z.array(z.string().max(64)).max(256).optional(),
    ports: z
      .array(ServicePort)
      .max(256)
      .meta({
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-validations': [
          {
            rule: 'self.all(l1, self.exists_one(l2, l1.number == l2.number))',
            message: 'port number cannot be duplicated',
          },
        ],
      })
      .optional(),
    location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).optional(),
    resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS']).optional(),
    endpoints: z.array(WorkloadEntrySpec).max(4096).optional(),
    workloadSelector: z
      .object({
        labels: z
          .record(
            z.string(),
            z
              .string()
              .max(63)
              .meta({
                'x-kubernetes-validations': [
                  { rule: "!self.contains('*')", message: 'wildcard is not supported in selector' },
                ],
              }),
          )
          .meta({ maxProperties: 256 })
          .optional(),
      })
      .optional(),
    exportTo: z.array(z.string()).optional(),
    subjectAltNames: z.array(z.string()).optional(),
  })
  .meta({
    'x-kubernetes-validations': [
      {
        rule: '(has(self.workloadSelector) ? 1 : 0) + (has(self.endpoints) ? 1 : 0) <= 1',
        message: 'only one of WorkloadSelector or Endpoints can be set',
      },
      {
        rule: `!((has(self.addresses) ? self.addresses : []).exists(a, a.contains('/')) && !(${resolution} in ['STATIC', 'NONE']))`,
        message: 'CIDR addresses are allowed only for NONE/STATIC resolution types',
      },
      { rule: `${resolution} != 'NONE' || !has(self.endpoints)`, message: 'NONE mode cannot set endpoints' },
      {
        rule: `${resolution} != 'DNS_ROUND_ROBIN' || (has(self.endpoints) ? self.endpoints : []).size() <= 1`,
        message: 'DNS_ROUND_ROBIN mode cannot have multiple endpoints',
      },
    ],
  });
export type ServiceEntrySpec = z.infer<typeof ServiceEntrySpec>;

export const workloadEntryCrd = istioCrd({
  group,
  kind: 'WorkloadEntry',
  plural: 'workloadentries',
  shortNames: ['we'],
  versions,
  storage: 'v1',
  description: 'A workload outside Kubernetes (a VM, or a process), addressable by the mesh.',
  spec: WorkloadEntrySpec,
  requireSpec: true,
  columns: [
    ageColumn,
    { name: 'Address', type: 'string', jsonPath: '.spec.address', description: 'The endpoint address.' },
  ],
});

export const workloadGroupCrd = istioCrd({
  group,
  kind: 'WorkloadGroup',
  plural: 'workloadgroups',
  shortNames: ['wg'],
  versions,
  storage: 'v1',
  description: 'A template for WorkloadEntries of the workloads that register themselves.',
  spec: WorkloadGroupSpec,
  requireSpec: true,
  columns: [ageColumn],
});

export const serviceEntryCrd = istioCrd({
  group,
  kind: 'ServiceEntry',
  plural: 'serviceentries',
  shortNames: ['se'],
  versions,
  storage: 'v1',
  description: "A service added to the mesh's registry: hosts, ports and endpoints or selected workloads.",
  spec: ServiceEntrySpec,
  requireSpec: true,
  columns: [
    { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The hosts of the service.' },
    { name: 'Location', type: 'string', jsonPath: '.spec.location', description: 'MESH_EXTERNAL or MESH_INTERNAL.' },
    { name: 'Resolution', type: 'string', jsonPath: '.spec.resolution', description: 'How endpoints are resolved.' },
    ageColumn,
  ],
});
