/** Resolved target configurations: each kind owns its config type (scenario builds them, targets open them). */

/** HTTP target, resolved. Header values may hold `${ENV_NAME}` references, resolved only when sending. */
export interface HttpTargetConfig {
  kind: 'http';
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  /** Keep-alive connections in the pool. */
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining); 1 = none. */
  pipelining: number;
  /** Request timeout in ms (headers and body each). */
  timeoutMs: number;
}

/** The embedded sandbox pipeline (issue #4); `params` is its validated `sandbox:` block. */
export interface SandboxTargetConfig {
  kind: 'sandbox';
  params: Record<string, unknown>;
  connections: number;
  pipelining: number;
  timeoutMs: number;
}

export type TargetConfig = HttpTargetConfig | SandboxTargetConfig;
