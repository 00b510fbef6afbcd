// VirtualService fault injection as the route's per-filter config for the HCM's fault filter (which every waypoint
// HTTP chain has, empty, for this).
import type { Fault } from '../model/model.ts';
import { filters } from './names.ts';
import { any, duration, type Json } from './json.ts';

/** Percent as a FractionalPercent: per hundred when whole, per million otherwise. */
function percentage(percent: number): Json {
  const clamped = Math.min(Math.max(percent, 0), 100);
  return Number.isInteger(clamped)
    ? { numerator: clamped, denominator: 'HUNDRED' }
    : { numerator: Math.round(clamped * 10_000), denominator: 'MILLION' };
}

export function faultConfig(fault: Fault): Json {
  const config: Json = {};
  if (fault.delay) {
    config['delay'] = { fixedDelay: duration(fault.delay.fixedDelayMs), percentage: percentage(fault.delay.percent) };
  }
  if (fault.abort) {
    const { httpStatus, grpcStatus, percent } = fault.abort;
    const status = grpcStatus !== undefined ? { grpcStatus } : { httpStatus: httpStatus ?? 500 };
    config['abort'] = { ...status, percentage: percentage(percent) };
  }
  return { [filters.fault]: any('envoy.extensions.filters.http.fault.v3.HTTPFault', config) };
}
