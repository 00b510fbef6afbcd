import { describe, expect, test } from '@jest/globals';
import {
  apiserverCommand,
  controllerManagerCommand,
  etcdCommand,
  kwokCommand,
  schedulerCommand,
  type ClusterLayout,
} from './component-args.ts';

const layout: ClusterLayout = {
  binDir: '/cache/bin',
  runDir: '/run/x',
  pkiDir: '/run/x/pki',
  etcdDataDir: '/dev/shm/x',
  kubeconfig: '/run/x/kubeconfig',
  ports: { etcdClient: 2001, etcdPeer: 2002, apiserver: 2003, controllerManager: 2004, scheduler: 2005, kwok: 2006 },
};
const commands = [etcdCommand, apiserverCommand, controllerManagerCommand, schedulerCommand, kwokCommand].map((c) =>
  c(layout),
);
const flag = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

describe('component command lines', () => {
  test('every address a component binds, advertises or dials is 127.0.0.1', () => {
    for (const { name, args } of commands) {
      const addresses = args.flatMap((a) => a.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? []);
      const routable = addresses.filter((ip) => !ip.startsWith('127.') && !['10.96.0.0', '10.244.0.0'].includes(ip));
      expect({ name, routable }).toEqual({ name, routable: [] });
    }
    const [etcd, apiserver, kcm, scheduler, kwok] = commands.map((c) => c.args) as [
      string[],
      string[],
      string[],
      string[],
      string[],
    ];
    expect(flag(etcd, 'listen-client-urls')).toBe('http://127.0.0.1:2001');
    expect(flag(apiserver, 'bind-address')).toBe('127.0.0.1');
    expect(flag(apiserver, 'advertise-address')).toBe('127.0.0.1');
    expect(flag(kcm, 'bind-address')).toBe('127.0.0.1');
    expect(flag(scheduler, 'bind-address')).toBe('127.0.0.1');
    expect(flag(kwok, 'server-address')).toBe('127.0.0.1:2006');
    expect(flag(kwok, 'node-ip')).toBe('127.0.0.1');
  });

  test('admission webhooks are disabled and the API server prefers node InternalIPs', () => {
    const args = apiserverCommand(layout).args;
    expect(flag(args, 'disable-admission-plugins')?.split(',').sort()).toEqual([
      'MutatingAdmissionWebhook',
      'ValidatingAdmissionWebhook',
    ]);
    expect(flag(args, 'kubelet-preferred-address-types')).toBe('InternalIP');
    expect(flag(args, 'endpoint-reconciler-type')).toBe('none');
  });

  test('nothing is written outside the run folder and the etcd data folder', () => {
    const paths = commands.flatMap((c) => c.args.flatMap((a) => a.match(/=(\/[^,]*)$/)?.[1] ?? []));
    const outside = paths.filter((p) => !['/run/x', '/cache/bin', '/dev/shm/x'].some((root) => p.startsWith(root)));
    expect(outside).toEqual([]);
    expect(flag(controllerManagerCommand(layout).args, 'flex-volume-plugin-dir')).toBe('/run/x/flexvolume');
  });
});
