// The API server's audit log of the shared cluster: who wrote what, by user agent (the operator's is
// `ambit-operator/<version>`), so a test can name every write it did not expect.
import { readFile } from 'node:fs/promises';
import { testCluster } from './cluster.ts';

interface AuditEvent {
  userAgent?: string;
  verb: string;
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
}

const auditLog = async () => `${(await testCluster()).runDir}/logs/audit.log`;

/** A position in the audit log: the writes after it can be listed with `writesSince`. */
export async function auditMark(): Promise<number> {
  return (await readFile(await auditLog(), 'utf8')).split('\n').length - 1;
}

/** Writes since `mark` by clients whose user agent starts with `agent`, as `verb resource[/sub] ns/name`. */
export async function writesSince(mark: number, agent = 'ambit-operator/'): Promise<string[]> {
  const lines = (await readFile(await auditLog(), 'utf8')).split('\n').slice(mark);
  return lines
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AuditEvent)
    .filter((e) => e.userAgent?.startsWith(agent))
    .map((e) => {
      const r = e.objectRef ?? {};
      return `${e.verb} ${r.resource ?? '?'}${r.subresource ? `/${r.subresource}` : ''} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? ''}`;
    });
}
