import { Ajv } from 'ajv';
import type { SignalEnvelope, SignalIssue } from '../contracts/behavior-signal.js';
import { MAX_PG_INTEGER } from '../schema/attribute-limits.js';
import { parseSignalTimestamp } from './signal-timestamp.parser.js';

const ID = { type: 'string', minLength: 1, maxLength: 256 };

// The envelope is checked with a compiled validator rather than class-validator:
// it runs once per signal on the hot path, 500 times per batch.
const envelopeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['schemaId', 'attributes'],
  properties: {
    schemaId: { type: 'string', minLength: 1, maxLength: 128 },
    schemaVersion: { type: 'integer', minimum: 1, maximum: MAX_PG_INTEGER },
    signalKey: ID,
    userId: ID,
    sessionId: ID,
    timestamp: { type: 'string', minLength: 1, maxLength: 64 },
    source: { type: 'string', minLength: 1, maxLength: 128 },
    attributes: { type: 'object' },
  },
  anyOf: [{ required: ['userId'] }, { required: ['sessionId'] }],
};

const CODES: Record<string, string> = {
  required: 'required',
  additionalProperties: 'unknown_field',
  type: 'type',
  minLength: 'min_length',
  maxLength: 'max_length',
  minimum: 'minimum',
  maximum: 'maximum',
};

const validate = new Ajv({ allErrors: true, strict: false, ownProperties: true }).compile(envelopeSchema);

export type EnvelopeCheck =
  { ok: true; envelope: SignalEnvelope; occurredAt: Date | null } | { ok: false; issues: SignalIssue[] };

export function checkEnvelope(value: unknown): EnvelopeCheck {
  if (!validate(value)) {
    const issues: SignalIssue[] = [];
    let identityMissing = false;
    for (const e of validate.errors ?? []) {
      if (e.keyword === 'anyOf' || (e.keyword === 'required' && e.schemaPath.startsWith('#/anyOf'))) {
        identityMissing = true;
        continue;
      }
      const field =
        e.keyword === 'required'
          ? String(e.params.missingProperty)
          : e.keyword === 'additionalProperties'
            ? String(e.params.additionalProperty)
            : e.instancePath.slice(1).replaceAll('/', '.');
      issues.push({
        path: field || '(signal)',
        code: CODES[e.keyword] ?? 'invalid',
        message: e.message ?? 'invalid',
      });
    }
    if (identityMissing)
      issues.push({
        path: 'userId',
        code: 'identity_required',
        message: 'one of userId or sessionId is required',
      });
    return { ok: false, issues };
  }
  const envelope = value as unknown as SignalEnvelope;
  let occurredAt: Date | null = null;
  if (envelope.timestamp !== undefined) {
    const parsed = parseSignalTimestamp(envelope.timestamp);
    if (!parsed) {
      return {
        ok: false,
        issues: [
          {
            path: 'timestamp',
            code: 'format',
            message: 'must be an RFC 3339 date-time with a time zone, naming a date that exists',
          },
        ],
      };
    }
    occurredAt = parsed;
  }
  return { ok: true, envelope, occurredAt };
}
