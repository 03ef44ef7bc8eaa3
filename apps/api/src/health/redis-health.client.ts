import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../api.tokens.js';
import type { AppConfig } from '../config/app-config.js';

/** The health check's own Redis connection (the job runner keeps its own); none without Redis. */
@Injectable()
export class RedisHealthClient implements OnApplicationShutdown {
  readonly redis: Redis | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = config.redis.url
      ? new Redis(config.redis.url, { lazyConnect: false, maxRetriesPerRequest: 2 })
      : null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
