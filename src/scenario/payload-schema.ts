import { z } from 'zod';
import { compilePayload, type PayloadConfig } from '../payload/payload-shape.js';

const KINDS = ['telemetry', 'trip_start', 'trip_end', 'harsh_braking', 'geofence', 'diagnostic'] as const;

const templateValue = z
  .record(z.string(), z.unknown())
  .meta({ title: 'Message template', description: 'A mapping in your pipeline\'s shape; string values may hold {{field | filter}} placeholders.' });

/** The scenario's `payload:` block: templates are compiled here once, so a bad field or filter is an error with its line:column. */
export const payloadSchema = z
  .strictObject({
    module: z.string().min(1).meta({ title: 'Payload module', description: 'A JavaScript module (path relative to the scenario file) exporting build(message, ctx): an object (sent as JSON) or a string. Instead of templates.', examples: ['./my-payload.mjs'] }).optional(),
    template: templateValue.optional(),
    idField: z.string().regex(/^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/, { error: 'expected a dotted field path such as msgId or meta.id' }).meta({ title: 'Id field', description: 'Where the shaped message keeps the message id ({{messageId}}), e.g. msgId: the truth checks find messages again by it. Default: found in sample messages.', examples: ['msgId'] }).optional(),
    when: z.partialRecord(z.enum(KINDS), templateValue).meta({ title: 'Templates per message kind', description: 'A kind listed here uses its own template; the others use `template`.' }).optional(),
  })
  .meta({ title: 'Message shape', description: 'Your pipeline\'s own message shape, mapped from the fleet\'s message (see the README).' })
  .superRefine((p, ctx) => {
    if (p.module !== undefined && (p.template !== undefined || p.when !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['module'], message: 'expected either module or templates (template, when), not both', params: { quoted: true } });
    }
    for (const problem of compilePayload(p as PayloadConfig).problems) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: { quoted: true } });
  })
  .transform((p): PayloadConfig => ({
    ...(p.module ? { module: p.module } : {}), ...(p.template ? { template: p.template } : {}), ...(p.when ? { when: p.when } : {}), ...(p.idField ? { idField: p.idField } : {}),
  }));
