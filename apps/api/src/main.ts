import { registerEsmInstrumentationHooks } from './observability/esm-instrumentation.hooks.js';
import { startTelemetry } from './observability/telemetry.js';

// OpenTelemetry patches pg, ioredis and the HTTP server as they load, so the loader hook and
// the SDK come first and the service (everything that imports them) is imported after.
registerEsmInstrumentationHooks();
const telemetry = startTelemetry({ serviceName: 'behavior-api' });
const { runApi, exitOnStartupError } = await import('./bootstrap/run-api.js');
await runApi(telemetry).catch(exitOnStartupError);
