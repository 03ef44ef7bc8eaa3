import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  BEHAVIOR_CORE_OPTIONS,
  BEHAVIOR_DATA_PROVIDER,
  BEHAVIOR_SIGNAL_STORE,
  JOB_RUNNER,
} from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type { BehaviorDataProvider } from '../contracts/behavior-data-provider.js';
import type { BehaviorSignalStore } from '../contracts/behavior-signal-store.js';
import type { JobRunner } from '../contracts/job-runner.js';

/**
 * Opens and closes the seams (signal store, data provider, job runner) and runs the job workers unless
 * this process serves the API only. Handlers and tasks were registered at module init
 * (BehaviorJobRegistry), so the runner starts complete.
 */
@Injectable()
export class BehaviorCoreLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    @Inject(BEHAVIOR_SIGNAL_STORE) private readonly store: BehaviorSignalStore,
    @Inject(BEHAVIOR_DATA_PROVIDER) private readonly dataProvider: BehaviorDataProvider,
    @Inject(JOB_RUNNER) private readonly jobRunner: JobRunner,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const seam of [this.store, this.dataProvider, this.jobRunner]) await seam.init?.();
    if (this.options.settings.processing.role !== 'api') await this.jobRunner.start();
  }

  // Before any module's onApplicationShutdown: running jobs finish while the pool is still open.
  async beforeApplicationShutdown(): Promise<void> {
    await this.jobRunner.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.flush();
    for (const seam of [this.store, this.dataProvider, this.jobRunner]) await seam.close?.();
  }
}
