/**
 * Hard limits on the shape of a signal, whatever its schema says. They bound the
 * work one item can cost (validation, error lists, storage) and keep every value
 * one that PostgreSQL can store.
 */

/** An array attribute's `maxItems` may not exceed this. */
export const MAX_ARRAY_ITEMS_CEILING = 10_000;

/** Members of one object anywhere in a signal (attributes, nested objects, free-form extras). */
export const MAX_OBJECT_KEYS = 1_000;

/** Default `maxProperties` of an object that allows additional attributes. */
export const DEFAULT_MAX_OBJECT_KEYS = 256;

/** Validation errors reported per item; the rest are only counted (`errorCount`). */
export const MAX_ISSUES_PER_ITEM = 20;

/**
 * Above this many JSON nodes, a failing item is reported with its first error only:
 * collecting every error of a huge item costs CPU and memory proportional to its size.
 */
export const DETAILED_VALIDATION_MAX_NODES = 2_000;

/** Largest value of a PostgreSQL `integer` column (schemaVersion). */
export const MAX_PG_INTEGER = 2_147_483_647;
