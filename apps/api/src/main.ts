import { exitOnStartupError } from './bootstrap/startup-error.js';
import { startTelemetry } from './observability/telemetry.js';

// OpenTelemetry patches pg, ioredis and the HTTP server when they are loaded, so the SDK
// starts first and the service (everything that imports them) is imported only after it.
const telemetry = startTelemetry({ serviceName: 'behavior-api' });
const { runApi } = await import('./bootstrap/run-api.js');
await runApi(telemetry).catch(exitOnStartupError);
