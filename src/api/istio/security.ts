// AuthorizationPolicy, PeerAuthentication and RequestAuthentication (security.istio.io).
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { atMostOne, Duration, istioCrd, onlyOneTarget, policyTargets, WorkloadSelector } from './common.ts';

const versions = ['v1', 'v1beta1'];
const group = 'security.istio.io';
const strings = z.array(z.string()).optional();
const ServiceAccounts = z.array(z.string().max(320)).max(16).optional();

export const Source = z
  .object({
    principals: strings,
    notPrincipals: strings,
    requestPrincipals: strings,
    notRequestPrincipals: strings,
    namespaces: strings,
    notNamespaces: strings,
    serviceAccounts: ServiceAccounts,
    notServiceAccounts: ServiceAccounts,
    trustDomains: strings,
    notTrustDomains: strings,
    ipBlocks: strings,
    notIpBlocks: strings,
    remoteIpBlocks: strings,
    notRemoteIpBlocks: strings,
  })
  .meta({
    'x-kubernetes-validations': [
      {
        rule: '!(has(self.serviceAccounts) || has(self.notServiceAccounts)) || !(has(self.principals) || has(self.notPrincipals) || has(self.namespaces) || has(self.notNamespaces))',
        message: 'Cannot set serviceAccounts with namespaces or principals',
      },
    ],
  });

export const Operation = z.object({
  hosts: strings,
  notHosts: strings,
  ports: strings,
  notPorts: strings,
  methods: strings,
  notMethods: strings,
  paths: strings,
  notPaths: strings,
});

export const Condition = z.object({ key: z.string(), values: strings, notValues: strings });

export const Rule = z.object({
  from: z
    .array(z.object({ source: Source.optional() }))
    .max(512)
    .optional(),
  to: z.array(z.object({ operation: Operation.optional() })).optional(),
  when: z.array(Condition).optional(),
});
export type AuthorizationRule = z.infer<typeof Rule>;

export const AuthorizationPolicySpec = z
  .object({
    ...policyTargets,
    action: z.enum(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']).optional(),
    provider: z.object({ name: z.string().optional() }).optional(),
    rules: z.array(Rule).max(512).optional(),
  })
  .meta({ 'x-kubernetes-validations': [onlyOneTarget] });
export type AuthorizationPolicySpec = z.infer<typeof AuthorizationPolicySpec>;

const MtlsMode = z.enum(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);

export const PeerAuthenticationSpec = z
  .object({
    selector: WorkloadSelector.optional(),
    mtls: z.object({ mode: MtlsMode.optional() }).optional(),
    portLevelMtls: z
      .record(z.string(), z.object({ mode: MtlsMode.optional() }))
      .meta({
        'x-kubernetes-validations': [
          { rule: 'self.all(key, 0 < int(key) && int(key) <= 65535)', message: 'port must be between 1-65535' },
        ],
      })
      .optional(),
  })
  .meta({
    'x-kubernetes-validations': [
      {
        rule: '!has(self.portLevelMtls) || (has(self.selector) && has(self.selector.matchLabels) && self.selector.matchLabels.size() > 0)',
        message: 'portLevelMtls requires selector',
      },
    ],
  });
export type PeerAuthenticationSpec = z.infer<typeof PeerAuthenticationSpec>;

const JwksUri = z
  .string()
  .min(1)
  .max(2048)
  .meta({
    'x-kubernetes-validations': [
      { rule: "url(self).getScheme() in ['http', 'https']", message: 'url must have scheme http:// or https://' },
    ],
  });
const nonEmpty = z.array(z.string().min(1)).optional();

export const JWTRule = z
  .object({
    issuer: z.string().min(1).optional(),
    audiences: nonEmpty,
    jwksUri: JwksUri.optional(),
    jwks_uri: JwksUri.optional(),
    jwks: z.string().optional(),
    fromHeaders: z.array(z.object({ name: z.string().min(1), prefix: z.string().optional() })).optional(),
    fromParams: nonEmpty,
    fromCookies: nonEmpty,
    outputPayloadToHeader: z.string().optional(),
    forwardOriginalToken: z.boolean().optional(),
    outputClaimToHeaders: z
      .array(
        z.object({
          header: z
            .string()
            .min(1)
            .regex(/^[-_A-Za-z0-9]+$/),
          claim: z.string().min(1),
        }),
      )
      .optional(),
    spaceDelimitedClaims: z.array(z.string().min(1)).max(64).optional(),
    timeout: Duration.optional(),
  })
  .meta({
    'x-kubernetes-validations': [atMostOne(['jwksUri', 'jwks_uri', 'jwks'], 'only one of jwks or jwksUri can be set')],
  });

export const RequestAuthenticationSpec = z
  .object({ ...policyTargets, jwtRules: z.array(JWTRule).max(4096).optional() })
  .meta({ 'x-kubernetes-validations': [onlyOneTarget] });

export const authorizationPolicyCrd = istioCrd({
  group,
  kind: 'AuthorizationPolicy',
  plural: 'authorizationpolicies',
  shortNames: ['ap'],
  versions,
  storage: 'v1',
  description: 'Access control for workloads, Services and waypoints: ALLOW, DENY, AUDIT or CUSTOM rules.',
  spec: AuthorizationPolicySpec,
  columns: [
    { name: 'Action', type: 'string', jsonPath: '.spec.action', description: 'The action taken when a rule matches.' },
    ageColumn,
  ],
});

export const peerAuthenticationCrd = istioCrd({
  group,
  kind: 'PeerAuthentication',
  plural: 'peerauthentications',
  shortNames: ['pa'],
  versions,
  storage: 'v1',
  description: 'The mutual TLS mode workloads accept traffic with.',
  spec: PeerAuthenticationSpec,
  columns: [
    {
      name: 'Mode',
      type: 'string',
      jsonPath: '.spec.mtls.mode',
      description: 'The mTLS mode for peer authentication.',
    },
    ageColumn,
  ],
});

export const requestAuthenticationCrd = istioCrd({
  group,
  kind: 'RequestAuthentication',
  plural: 'requestauthentications',
  shortNames: ['ra'],
  versions,
  storage: 'v1',
  description: 'The JWTs a workload accepts on requests.',
  spec: RequestAuthenticationSpec,
});
