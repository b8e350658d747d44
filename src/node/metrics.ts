/** Prometheus metrics of the node (prom-client, one registry per server). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The node's metrics. */
export class NodeMetrics {
  readonly registry = new Registry();
  readonly accepted = new Counter({ name: 'bundle_auction_inputs_accepted_total', help: 'Inputs accepted, by kind', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly rejected = new Counter({ name: 'bundle_auction_inputs_rejected_total', help: 'Requests rejected, by route and reason code', labelNames: ['route', 'code'] as const, registers: [this.registry] });
  readonly incumbent = new Gauge({ name: 'bundle_auction_incumbent_value', help: 'Value of the latest accepted allocation (base units, as a float)', registers: [this.registry] });
  readonly incumbentSlot = new Gauge({ name: 'bundle_auction_incumbent_slot', help: 'Slot of the latest accepted allocation', registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'bundle_auction_request_seconds', help: 'Request latency by route and status', labelNames: ['route', 'status'] as const,
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry],
  });
  readonly finaliseLag = new Histogram({
    name: 'bundle_auction_finalise_lag_seconds', help: 'Time from a slot\'s finalAt to its stored, signed result',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5], registers: [this.registry],
  });
  readonly solverErrors = new Counter({ name: 'bundle_auction_solver_errors_total', help: 'Solver runs that failed', registers: [this.registry] });
}
