import { registerEsmInstrumentationHooks } from './observability/esm-instrumentation.hooks.js';
import { startTelemetry } from './observability/telemetry.js';

// `npm run start:worker`. As in main.ts: loader hook and SDK before the service is imported.
registerEsmInstrumentationHooks();
const telemetry = startTelemetry({ serviceName: 'behavior-worker' });
const { runWorker } = await import('./bootstrap/run-worker.js');
await runWorker(telemetry).catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
