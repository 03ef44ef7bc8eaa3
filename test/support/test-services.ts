export const TEMPLATE_DB = 'behavior_template';

export const ENV = {
  adminUrl: 'BEHAVIOR_TEST_PG_ADMIN_URL',
  redisUrl: 'BEHAVIOR_TEST_REDIS_URL',
} as const;

export interface TestServices {
  stopPostgres?: () => Promise<void>;
  redisPid?: number;
}

// Global setup and teardown run in the same parent process; this is how they hand over.
const holder = globalThis as { __behaviorTestServices?: TestServices };

export function setTestServices(services: TestServices): void {
  holder.__behaviorTestServices = services;
}

export function takeTestServices(): TestServices {
  const services = holder.__behaviorTestServices ?? {};
  holder.__behaviorTestServices = undefined;
  return services;
}
