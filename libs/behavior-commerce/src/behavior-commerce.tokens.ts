/** Injection tokens of @lssm/behavior-commerce (one place, DESIGN §3). */

/** The options as given to `forRoot` / `forRootAsync` (partial; defaults fill the rest). */
export const COMMERCE_MODULE_OPTIONS = Symbol('COMMERCE_MODULE_OPTIONS');
/** The validated options with every default filled in (`CommerceOptions`). */
export const COMMERCE_OPTIONS = Symbol('COMMERCE_OPTIONS');
