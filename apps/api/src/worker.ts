import { exitOnStartupError } from './bootstrap/startup-error.js';
import { startTelemetry } from './observability/telemetry.js';

// `npm run start:worker`. As in main.ts: the SDK starts before the service is imported.
const telemetry = startTelemetry({ serviceName: 'behavior-worker' });
const { runWorker } = await import('./bootstrap/run-worker.js');
await runWorker(telemetry).catch(exitOnStartupError);
