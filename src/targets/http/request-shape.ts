import { compileText, type TemplateProblem, type TextTemplate } from '../../payload/template.js';
import type { MessageBody } from '../../telemetry/payload.js';
import { resolveEnvRefs } from '../env-headers.js';
import { splitUrl } from './config.js';

/**
 * The per-message parts of an HTTP request — the path with its query, and the header values —
 * compiled once from what the user wrote. `${ENV}` references in header values are resolved
 * here, once (they are never read from a message); `{{field}}` placeholders are filled per
 * message: percent-encoded in the path (a value never adds a path segment or a query
 * parameter), as is in header values (the fleet's fields never hold CR or LF).
 */
export interface RequestShape {
  /** The path and query for a message (one fixed text when the URL has no placeholders). */
  path(fields: MessageBody): string;
  /** Header names, lower-case, in order; content-type first. */
  readonly names: readonly string[];
  /** Values for a message, in the order of `names`. */
  fillHeaders(fields: MessageBody, out: string[]): void;
  /** Whether some header value has placeholders. */
  readonly perMessageHeaders: boolean;
}

/** Compiles the URL's path and the headers; problems name `url` or `headers.<name>`. */
export function compileRequestShape(url: string, headers: Record<string, string>, contentType: string): { shape?: RequestShape; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const { path } = splitUrl(url);
  const pathT = compileText(path, { encode: encodeURIComponent });
  problems.push(...pathT.problems.map((p) => ({ path: ['url'], message: p.message })));
  const names = ['content-type'];
  const values: TextTemplate[] = [fixed(contentType)];
  for (const [name, value] of Object.entries(headers)) {
    const t = compileText(value, { literal: (s) => resolveEnvRefs(s, name) });
    problems.push(...t.problems.map((p) => ({ path: ['headers', name], message: p.message })));
    if (!t.template) continue;
    if (name.toLowerCase() === 'content-type') values[0] = t.template;
    else {
      names.push(name.toLowerCase());
      values.push(t.template);
    }
  }
  if (problems.length > 0 || !pathT.template) return { problems };
  const p = pathT.template;
  const constPath = p.constant ? p.render({}) : '';
  return {
    problems,
    shape: {
      path: p.constant ? () => constPath : (f) => p.render(f),
      names,
      perMessageHeaders: values.some((v) => !v.constant),
      fillHeaders(f, out) {
        for (let i = 0; i < values.length; i++) out[i] = values[i].render(f);
      },
    },
  };
}

function fixed(text: string): TextTemplate {
  return { render: () => text, constant: true, fields: [] };
}

/** The problems of a URL and headers as written (the scenario's check), without resolving `${ENV}`. */
export function requestShapeProblems(url: string, headers: Record<string, string>): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (hostHasPlaceholder(url)) problems.push({ path: ['url'], message: 'expected placeholders only in the URL\'s path and query: the connections go to one host' });
  else problems.push(...compileText(splitUrl(url).path).problems.map((p) => ({ path: ['url'], message: p.message })));
  for (const [name, value] of Object.entries(headers)) problems.push(...compileText(value).problems.map((p) => ({ path: ['headers', name], message: p.message })));
  return problems;
}

/** Whether the URL's scheme, host or port holds a placeholder. */
function hostHasPlaceholder(url: string): boolean {
  const afterScheme = url.indexOf('://') + 3;
  const end = url.slice(afterScheme).search(/[/?#]/);
  const host = end < 0 ? url.slice(afterScheme) : url.slice(afterScheme, afterScheme + end);
  return url.slice(0, afterScheme).includes('{{') || host.includes('{{');
}
