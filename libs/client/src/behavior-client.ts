import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';

/** Every named schema of the API: `Schemas['SignalBatchDto']`. */
export type Schemas = components['schemas'];
export type SignalEnvelope = Schemas['SignalEnvelopeDto'];
export type SignalBatch = Schemas['SignalBatchDto'];
export type BatchResult = Schemas['BatchResultDto'];
export type BatchItemResult = Schemas['BatchItemResultDto'];
export type BehaviorSignal = Schemas['BehaviorSignalDto'];
export type BehaviorSignalPage = Schemas['BehaviorSignalPageDto'];
export type CreateOverlay = Schemas['CreateOverlayDto'];
/** One overlay operation, discriminated on `type`. */
export type OverlayOperation = CreateOverlay['operations'][number];
export type Overlay = Schemas['OverlayDto'];
export type ResolveResult = Schemas['ResolveResultDto'];
export type ErrorResponse = Schemas['ErrorResponseDto'];

export interface BehaviorClientOptions {
  /** The service's origin, e.g. `https://behavior.example` (paths start with /api). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; omit for the public routes (health, metrics). */
  readonly apiKey?: string;
  /** A fetch to use instead of the global one (tests, proxies, retries). */
  readonly fetch?: ClientOptions['fetch'];
  readonly headers?: Readonly<Record<string, string>>;
}

export type BehaviorClient = Client<paths>;

/**
 * A typed client over every operation of the OpenAPI document:
 * `client.POST('/api/ai-behavior/signals/batch', { body: { signals } })` gives `{ data, error,
 * response }`, with `data` and `error` typed per status by the generated `paths`.
 */
export function createBehaviorClient(options: BehaviorClientOptions): BehaviorClient {
  const { baseUrl, apiKey, fetch, headers } = options;
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(fetch ? { fetch } : {}),
    headers: { ...headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    // The document's object query parameters (the signal query's `filters`) are form-style with
    // explode: each property is its own `name=value` pair, e.g. `attr.amount[gte]=10`.
    querySerializer: { object: { style: 'form', explode: true } },
  });
}
