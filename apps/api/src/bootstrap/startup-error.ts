import { EX_CONFIG } from '../config/exit-codes.js';

/** Ends a service whose start-up failed, with EX_CONFIG for a configuration fault and 1 otherwise. */
export function exitOnStartupError(error: unknown): never {
  // A broken schema file is a configuration error: its problems already name file, id,
  // field and reason, and a stack trace would only bury them.
  if (error instanceof Error && error.name === 'SchemaLoadError') {
    process.stderr.write(`Fatal: ${error.message}\nCheck the schema files with: npm run schema-doctor\n`);
    process.exit(EX_CONFIG);
  }
  // Sinks whose settings only their provider can check (an add-on's or the host's type).
  if (error instanceof Error && error.name === 'SignalSinkConfigError') {
    process.stderr.write(`Fatal: ${error.message}\n`);
    process.exit(EX_CONFIG);
  }
  process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
