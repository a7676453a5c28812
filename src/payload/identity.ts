import type { MessageSource } from '../telemetry/message-source.js';
import { PayloadError } from './hook.js';

/**
 * Where a shaped message keeps what the truth checks need to find it again: the path (dotted,
 * `meta.id`) of the message id and of the per-vehicle sequence number in the JSON the pipeline
 * gets. Found by reading sample messages — the same for templates and code hooks — and kept
 * only when it holds in every sample that could be read.
 */
export interface MessageIdentity {
  /** Path of the message id; undefined when no field holds it. */
  idPath?: string;
  /** Path of the seq; undefined when no field holds it. */
  seqPath?: string;
  /** What the user should know (an idField that does not hold the id, an id that did not survive). */
  warnings: string[];
  /** Set when the payload module failed on every sample: its first error (a run would send nothing). */
  everyMessageFails?: string;
}

/** Messages read to find the paths: enough for every kind of the default mix to show up. */
export const IDENTITY_SAMPLES = 200;

/**
 * Finds the id and seq paths in the first `count` messages of `source`. `idField` is the user's
 * own word (payload.idField): checked, not searched for. Bodies that are not JSON objects (a
 * module's text or bytes) hold no path; the id found inside their text still counts as kept.
 */
export function findIdentity(source: MessageSource, o: { idField?: string; count?: number; nowMs?: number } = {}): MessageIdentity {
  const count = o.count ?? IDENTITY_SAMPLES;
  let idPaths: Set<string> | undefined;
  let seqPaths: Set<string> | undefined;
  let idInText = 0;
  let read = 0;
  let firstError: string | undefined;
  // Arrivals a round apart and one vehicle on: the seqs differ from sample to sample (in one
  // round every seq is the same), so only a field that follows the seq keeps matching.
  const stride = source.fleet.size + 1;
  for (let i = 0; i < count; i++) {
    let msg;
    try {
      msg = source.next(i * stride, o.nowMs ?? Date.now());
    } catch (e) {
      if (!(e instanceof PayloadError)) throw e;
      firstError ??= e.message;
      continue;
    }
    read++;
    const text = typeof msg.body === 'string' ? msg.body : Buffer.from(msg.body).toString('latin1');
    if (text.includes(msg.messageId)) idInText++;
    const doc = parseObject(text);
    const found = { id: new Set<string>(), seq: new Set<string>() };
    if (doc) walk(doc, '', (path, v) => {
      if (v === msg.messageId) found.id.add(path);
      if (v === msg.seq) found.seq.add(path);
    });
    idPaths = intersect(idPaths, found.id);
    seqPaths = intersect(seqPaths, found.seq);
  }
  if (read === 0) return { warnings: [`the payload module failed on every one of ${count} sample messages: ${firstError ?? 'unknown error'}`], everyMessageFails: firstError ?? 'unknown error' };
  return conclude(first(idPaths), first(seqPaths), { read, idInText, ...(o.idField !== undefined ? { idField: o.idField } : {}) });
}

function conclude(idPath: string | undefined, seqPath: string | undefined, s: { read: number; idInText: number; idField?: string }): MessageIdentity {
  const warnings: string[] = [];
  if (s.idField !== undefined && s.idField !== idPath) {
    warnings.push(`payload.idField is "${s.idField}", but that field does not hold the message id in every message${idPath ? ` ("${idPath}" does)` : ''}; keep it with ${s.idField}: "{{messageId}}"`);
  }
  const id = s.idField !== undefined && s.idField === idPath ? s.idField : idPath;
  if (id === undefined && seqPath === undefined && s.idInText < s.read) {
    warnings.push('the shaped message keeps neither the message id nor the seq: probes cannot find messages again (lost, duplicated, reordered); add a field such as msgId: "{{messageId}}" (and payload.idField: msgId)');
  }
  return { ...(id !== undefined ? { idPath: id } : {}), ...(seqPath !== undefined ? { seqPath } : {}), warnings };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `visit` for every leaf value with its dotted path (array items by index). */
function walk(v: unknown, path: string, visit: (path: string, v: unknown) => void): void {
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, path ? `${path}.${k}` : k, visit);
  } else visit(path, v);
}

function intersect(a: Set<string> | undefined, b: Set<string>): Set<string> {
  return a === undefined ? b : new Set([...a].filter((x) => b.has(x)));
}

/** The shortest path (the plainest place), ties by name. */
function first(s: Set<string> | undefined): string | undefined {
  return s && s.size > 0 ? [...s].sort((a, b) => a.length - b.length || a.localeCompare(b))[0] : undefined;
}
