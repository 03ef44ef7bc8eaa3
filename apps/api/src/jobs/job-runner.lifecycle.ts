import {
  Inject,
  Injectable,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { JOB_RUNNER, type JobRunner } from '@lssm/behavior-core';
import { APP_CONFIG, REDIS_CLIENT } from '../api.tokens.js';
import type { AppConfig } from '../config/app-config.js';

/** Starts workers unless this process is api-only; stops them and closes Redis on shutdown. */
@Injectable()
export class JobRunnerLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    @Inject(JOB_RUNNER) private readonly runner: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(REDIS_CLIENT) private readonly redis?: Redis | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.ai.behavior.processing.role !== 'api') await this.runner.start();
  }

  // Before any module's onApplicationShutdown: running jobs finish while the pool is still open.
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
