import type { BehaviorSignal, FailedSignal } from './behavior-signal.js';

export type StoreOutcome =
  | { readonly status: 'stored' | 'duplicate'; readonly id: string }
  /** The store refused this signal alone (nothing of it was written); the others are unaffected. */
  | { readonly status: 'refused'; readonly id: string; readonly reason: string }
  /** The signal names a user on the tenant's suppression list (refuse mode): nothing was written. */
  | { readonly status: 'suppressed'; readonly id: string };

/**
 * What the store needs to enforce the suppression list for one signal naming a user: the keyed
 * hash it is listed under and, in pseudonymize mode, the pseudonym to store instead of the id.
 * The check runs inside the write itself, so no signal whose write began after the suppression
 * committed can store the user id.
 */
export interface SignalUserTag {
  readonly userHash: string;
  readonly pseudonym: string | null;
}

export interface StoreWriteResult {
  /** For each written signal, in input order: its own id when stored, or the id of the signal that already held its key. */
  readonly outcomes: readonly StoreOutcome[];
}

/**
 * The system of record: where validated signals are committed before a client is answered, and
 * what the signal stream reads from. `acceptBatch` resolves only once the signals (and the
 * failed items given with them) are durable; a rejection (database outage) means none of them were written, and a
 * signal the store refuses on its own is reported `refused` without failing the others.
 */
export interface BehaviorSignalStore {
  readonly storeType: string;
  accept(signal: BehaviorSignal): Promise<StoreWriteResult>;
  acceptBatch(
    signals: readonly BehaviorSignal[],
    failed?: readonly FailedSignal[],
    /** Parallel to `signals`: null for a signal naming no user. A store without it enforces no suppression. */
    userTags?: readonly (SignalUserTag | null)[],
  ): Promise<StoreWriteResult>;
  /** Waits for everything accepted so far to be durable. */
  flush(): Promise<void>;
  /** Called once before the application serves (create storage, connect). */
  init?(): Promise<void>;
  /** Called once at shutdown, after `flush`. */
  close?(): Promise<void>;
}
