import { listenerSchema } from './listenerSchema.ts';

/** The validated `inspector` block: where the live inspector page is served. */
export interface InspectorConfig {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** Required by every API and WebSocket request when set; needed for a non-loopback host. */
  readonly token: string | undefined;
}

/** The inspector's defaults (those of `ratchet inspect`). */
const INSPECTOR_DEFAULTS: InspectorConfig = {
  port: 7357,
  host: '127.0.0.1',
  token: undefined,
};

/**
 * Schema of `inspector`: port in [0, 65535] (default 7357), host (default 127.0.0.1), and a
 * token of at least 8 characters, required when the host is not loopback (positions would be
 * readable from the network).
 */
export const inspectorSchema = listenerSchema({
  defaultPort: INSPECTOR_DEFAULTS.port,
  tokenExample: 'RATCHET_INSPECTOR_TOKEN',
  openProblem:
    'would let other machines read your positions without a token; allowed: a loopback host (127.0.0.1, localhost, ::1), or set inspector.token as well',
});
