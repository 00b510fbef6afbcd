// The control plane's own TLS certificate for 15012 (xDS and the CA), issued by its CA for the names agents check
// (ISTIOD_SAN: the revision's Service, `istiod[-<rev>].<ns>.svc`), and renewed at half its lifetime.
import type { Logger } from 'winston';
import type { KeyPair } from '../../xds/server/rotating-credentials.ts';

export const servingCertificateTtlSeconds = 24 * 3600;

/** The DNS names of the revision's Service (istiod for the default revision, istiod-<rev> otherwise). Pure. */
export function servingDnsNames(namespace: string, revision: string): string[] {
  const service = revision === 'default' ? 'istiod' : `istiod-${revision}`;
  return [`${service}.${namespace}.svc`];
}

export type IssueServing = (dnsNames: string[], ttlSeconds: number) => Promise<KeyPair>;

/** Issues now, then again at half-life, handing each new pair to `onRenew`; `stop` ends the renewals. */
export async function servingCertificate(
  issue: IssueServing,
  dnsNames: string[],
  onRenew: (pair: KeyPair) => void,
  log: Logger,
  ttlSeconds = servingCertificateTtlSeconds,
): Promise<{ pair: KeyPair; stop: () => void }> {
  const pair = await issue(dnsNames, ttlSeconds);
  const timer = setInterval(
    () => {
      issue(dnsNames, ttlSeconds)
        .then((renewed) => {
          onRenew(renewed);
          log.info('renewed the serving certificate', { controller: 'ca', key: dnsNames[0] });
        })
        .catch((err: unknown) =>
          log.error('could not renew the serving certificate; keeping the current one', {
            controller: 'ca',
            key: dnsNames[0],
            error: (err as Error).message,
          }),
        );
    },
    (ttlSeconds * 1000) / 2,
  );
  timer.unref();
  return { pair, stop: () => clearInterval(timer) };
}
