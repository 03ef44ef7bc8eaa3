/** Injection tokens of @lssm/behavior-core (one place, DESIGN §3). */
export const JOB_RUNNER = Symbol('BEHAVIOR_JOB_RUNNER');
