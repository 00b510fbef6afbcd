// The one Prometheus registry of a process; metric names follow controller-runtime and client-go so existing
// dashboards and alerts carry over.
import { collectDefaultMetrics, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
