/** Configured sinks that cannot start, as `key.path: reason` lines (a configuration fault, exit 78). */
export class SignalSinkConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SignalSinkConfigError';
  }
}
