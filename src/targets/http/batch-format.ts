import type { HttpBatchFormat } from './config.js';

/**
 * How a request that carries a batch is laid out, bytes counted as UTF-8:
 * - json-array: `[m1,m2,…]` — one comma per message after the first, two brackets;
 * - ndjson: `m1\nm2\n…\n` — one newline per message (content type application/x-ndjson);
 * - wrapped: `{"<key>":[m1,m2,…]}` — the array under one key.
 * Each message's body is the JSON text of its shaped message (bodies are text in a batch).
 */
export interface BatchFormat {
  readonly contentType: string;
  /** Bytes a message adds besides its body (its separator). */
  readonly perMessageBytes: number;
  /** Bytes of the request besides its messages and their separators. */
  readonly fixedBytes: number;
  join(bodies: readonly string[]): string;
}

export function batchFormat(format: HttpBatchFormat, key: string): BatchFormat {
  switch (format) {
    case 'json-array':
      return { contentType: 'application/json', perMessageBytes: 1, fixedBytes: 1, join: (b) => `[${b.join(',')}]` };
    case 'ndjson':
      return { contentType: 'application/x-ndjson', perMessageBytes: 1, fixedBytes: 0, join: (b) => `${b.join('\n')}\n` };
    case 'wrapped': {
      const open = `{${JSON.stringify(key)}:[`;
      return { contentType: 'application/json', perMessageBytes: 1, fixedBytes: Buffer.byteLength(open, 'utf8') + 1, join: (b) => `${open}${b.join(',')}]}` };
    }
  }
}
