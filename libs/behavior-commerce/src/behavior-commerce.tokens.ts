/**
 * Injection tokens of @lssm/behavior-commerce, in one file so a host binds the symbols the add-on injects
 * without importing its internals.
 */

/** The options as given to `forRoot` / `forRootAsync` (partial; defaults fill the rest). */
export const COMMERCE_MODULE_OPTIONS = Symbol('COMMERCE_MODULE_OPTIONS');
/** The validated options with every default filled in (`CommerceOptions`). */
export const COMMERCE_OPTIONS = Symbol('COMMERCE_OPTIONS');
