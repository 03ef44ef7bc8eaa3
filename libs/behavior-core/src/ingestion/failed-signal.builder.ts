import type { FailedSignal, SignalIssue } from '../contracts/behavior-signal.js';
import { MAX_PG_INTEGER } from '../schema/attribute-limits.js';
import { nextSignalId } from './signal-id.generator.js';
import { storableText, type StorableCheck } from './storable-value.guard.js';

/**
 * What failed_signals keeps instead of a payload that is too big or not storable
 * as jsonb: the start of its JSON text, as a string (so escapes of NUL or lone
 * surrogates stay plain text), and its size.
 */
export interface TruncatedPayload {
  readonly truncated: true;
  /** UTF-8 bytes of the item's JSON; null when it was too deep to serialize. */
  readonly originalBytes: number | null;
  readonly preview: string | null;
}

export interface FailedSignalInput {
  readonly tenantId: string;
  readonly item: unknown;
  readonly reasons: readonly SignalIssue[];
  readonly failedAt: string;
  readonly storable: StorableCheck;
  readonly maxFailedPayloadBytes: number;
}

/** The failed_signals record of a rejected item: every column storable, the payload bounded. */
export function toFailedSignal(input: FailedSignalInput): FailedSignal {
  const { item, storable } = input;
  const raw = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const version = raw.schemaVersion;
  return {
    id: nextSignalId(),
    tenantId: input.tenantId,
    schemaId: shortText(raw.schemaId, 128),
    schemaVersion:
      Number.isInteger(version) && (version as number) >= 0 && (version as number) <= MAX_PG_INTEGER
        ? (version as number)
        : null,
    signalKey: shortText(raw.signalKey, 256),
    payload: boundedPayload(item, storable, input.maxFailedPayloadBytes),
    reasons: input.reasons,
    failedAt: input.failedAt,
  };
}

function boundedPayload(item: unknown, storable: StorableCheck, maxBytes: number): unknown {
  if (item === undefined) return null;
  if (storable.tooDeep)
    return { truncated: true, originalBytes: null, preview: null } satisfies TruncatedPayload;
  const json = JSON.stringify(item);
  const bytes = Buffer.byteLength(json);
  if (storable.issueCount === 0 && bytes <= maxBytes) return item;
  return { truncated: true, originalBytes: bytes, preview: cut(json, maxBytes) } satisfies TruncatedPayload;
}

/** At most `maxBytes` UTF-8 bytes of `text` (a character cut in half becomes U+FFFD). */
function cut(text: string, maxBytes: number): string {
  return storableText(Buffer.from(text).subarray(0, maxBytes).toString('utf8'));
}

function shortText(value: unknown, max: number): string | null {
  return typeof value === 'string' ? storableText(value.slice(0, max)) : null;
}
