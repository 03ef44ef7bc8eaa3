import { takeTestServices } from './support/test-services';

export default async function globalTeardown(): Promise<void> {
  const services = takeTestServices();
  if (services.redisPid) {
    try {
      process.kill(services.redisPid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await services.stopPostgres?.();
}
