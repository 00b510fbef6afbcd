// Whether a component can be installed at all: its version is one the catalog supports and its namespace exists
// and is not being deleted. The messages say what is wrong and how to fix it. Pure.
import { versions, type IstioVersion } from '../../../src/api/versions.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

export interface InstallProblem {
  /** The Event reason; the condition reason stays Sail's ReconcileError. */
  eventReason:
    'NamespaceNotFound' | 'NamespaceTerminating' | 'VersionNotSupported' | 'VersionEndOfLife' | 'InvalidValues';
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: InstallProblem };

export function checkVersion(name: string): Checked<IstioVersion> {
  const version = versions.resolve(name);
  if (!version) {
    return {
      ok: false,
      problem: {
        eventReason: 'VersionNotSupported',
        message: `validation error: version "${name}" is not supported; use one of ${versions.names.filter((n) => !versions.resolve(n)?.eol).join(', ')}`,
      },
    };
  }
  if (version.eol) {
    return {
      ok: false,
      problem: {
        eventReason: 'VersionEndOfLife',
        message: `validation error: version "${name}" is end-of-life and cannot be installed; use a supported version such as ${versions.defaultVersion}`,
      },
    };
  }
  return { ok: true, value: version };
}

export function checkNamespace(name: string, namespace: KubeObject | undefined): InstallProblem | undefined {
  if (!namespace) {
    return {
      eventReason: 'NamespaceNotFound',
      message: `validation error: namespace "${name}" doesn't exist; create it (kubectl create namespace ${name}) and the operator continues by itself`,
    };
  }
  if (namespace.metadata.deletionTimestamp) {
    return {
      eventReason: 'NamespaceTerminating',
      message: `validation error: namespace "${name}" is being deleted; wait until it is gone and create it again`,
    };
  }
  return undefined;
}

/** Both checks for a component installed into `spec.namespace` at `spec.version`; the namespace is reported first. */
export function checkInstall(
  spec: { namespace: string; version: string },
  namespace: KubeObject | undefined,
): { problem: InstallProblem; version?: undefined } | { problem?: undefined; version: IstioVersion } {
  const version = checkVersion(spec.version);
  const problem = checkNamespace(spec.namespace, namespace) ?? (version.ok ? undefined : version.problem);
  if (problem) return { problem };
  if (!version.ok) return { problem: version.problem };
  return { version: version.value };
}

/** Values the pipeline or a renderer refused (an unsupported profile, a bad field). */
export function invalidValues(err: unknown): InstallProblem {
  return { eventReason: 'InvalidValues', message: `validation error: ${(err as Error).message}` };
}

/** The namespace a component CR installs into (spec.namespace). */
export function installNamespace(cr: KubeObject): string | undefined {
  return (cr['spec'] as { namespace?: string } | undefined)?.namespace;
}
