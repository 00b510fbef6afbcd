// The waypoint Service's ports: the status port, then one per distinct listener port (HBONE 15008 for a waypoint).
import type { GatewayListener } from './input.ts';

export interface ServicePort {
  name: string;
  port: number;
  protocol: 'TCP';
  appProtocol: string;
}

/**
 * Port names come from listener names, which may hold dots and run to 253 characters where a port name may not; a
 * listener whose port an earlier one already has adds nothing. The Service always speaks TCP; appProtocol carries the
 * listener's protocol (hbone for a waypoint's mesh listener).
 */
export function servicePorts(listeners: readonly GatewayListener[]): ServicePort[] {
  const ports: ServicePort[] = [{ name: 'status-port', port: 15021, protocol: 'TCP', appProtocol: 'tcp' }];
  const seen = new Set<number>();
  listeners.forEach((listener, index) => {
    if (seen.has(listener.port)) return;
    seen.add(listener.port);
    const protocol = listener.protocol.toLowerCase();
    const name = (listener.name ?? '').replaceAll('.', '-').slice(0, 63) || `${protocol}-${index}`;
    ports.push({ name, port: listener.port, protocol: 'TCP', appProtocol: protocol });
  });
  return ports;
}
