import { listenerSchema } from './listenerSchema.ts';

/** The validated `metrics` block: where Prometheus scrapes `/metrics`. */
export interface MetricsConfig {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** Required by every scrape when set; needed for a non-loopback host. */
  readonly token: string | undefined;
}

/** The defaults of every `metrics` key (9464 is the port Prometheus exporters conventionally use). */
export const METRICS_DEFAULTS: MetricsConfig = { port: 9464, host: '127.0.0.1', token: undefined };

/**
 * Schema of `metrics`: port in [0, 65535] (default 9464), host (default 127.0.0.1), and a token
 * of at least 8 characters, required when the host is not loopback. `metrics: {}` serves on
 * the defaults.
 */
export const metricsSchema = listenerSchema({
  defaultPort: METRICS_DEFAULTS.port,
  tokenExample: 'RATCHET_METRICS_TOKEN',
  openProblem:
    "would let other machines read the engine's metrics without a token; allowed: a loopback host (127.0.0.1, localhost, ::1), or set metrics.token as well (Prometheus sends it with authorization: { credentials: … })",
});
