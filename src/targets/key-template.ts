import { z } from 'zod';
import { compileText, MESSAGE_FIELDS, placeholdersIn } from '../payload/template.js';
import type { MessageBody } from '../telemetry/payload.js';

/** The message fields every kind has: a key built only from them and text is never empty. */
const EVERY_KIND = Object.entries(MESSAGE_FIELDS).filter(([, kinds]) => kinds === 'all').map(([f]) => f);

/**
 * A per-message key written with placeholders (a Kinesis partition key, an SQS FIFO group):
 * checked when the scenario is read — known fields and filters, only fields every message has
 * (a field of some kinds would give the others an empty key, which the service rejects), and at
 * most `maxLength` characters of literal text.
 */
export function keyTemplateField(meta: { title: string; description: string; examples: string[] }, maxLength: number) {
  return z
    .string()
    .min(1, { error: 'expected a non-empty key' })
    .superRefine((text, ctx) => {
      for (const p of compileText(text).problems) ctx.addIssue({ code: 'custom', message: p.message, params: { quoted: true } });
      const partial = placeholdersIn(text).filter((f) => f in MESSAGE_FIELDS && !EVERY_KIND.includes(f));
      if (partial.length > 0) ctx.addIssue({ code: 'custom', message: `expected placeholders every message has (${EVERY_KIND.join(', ')}): {{${partial[0]}}} is only in ${(MESSAGE_FIELDS[partial[0]] as string[]).join(', ')} messages, the others would get an empty key`, params: { quoted: true } });
      if (text.replace(/\{\{[^}]*\}\}/g, '').length > maxLength) ctx.addIssue({ code: 'custom', message: `expected at most ${maxLength} characters`, params: { quoted: true } });
    })
    .meta(meta);
}

/**
 * The compiled key: a function of the message's fields. The service's own limit (`maxLength`)
 * still holds per message — a longer key is cut to it (a vehicle id is 17 characters, so only
 * long literal text gets near it).
 */
export function compileKey(text: string, maxLength: number): (fields: MessageBody) => string {
  const { template, problems } = compileText(text);
  if (!template) throw new Error(`a key template that does not compile reached the target: ${problems.map((p) => p.message).join('; ')}`);
  return (f) => {
    const key = template.render(f);
    return key.length > maxLength ? key.slice(0, maxLength) : key;
  };
}
