export interface SupportTicketsOptions {
  /** Priorities counted as urgent. */
  readonly urgentPriorities?: readonly string[];
}

export const SUPPORT_TICKETS_OPTIONS = Symbol('SUPPORT_TICKETS_OPTIONS');

export const SUPPORT_TICKETS_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    urgentPriorities: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
  },
} as const;
