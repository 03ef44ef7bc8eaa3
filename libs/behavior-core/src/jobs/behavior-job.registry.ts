import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { JOB_RUNNER } from '../behavior-core.tokens.js';
import type { BehaviorJobHandlerInstance, ScheduledTaskSource } from '../contracts/behavior-job-handler.js';
import type { JobHandlerFn, JobRunner, ScheduledTask } from '../contracts/job-runner.js';
import { discoverDecoratedMethods, discoverDecoratedProviders } from '../nest/discover-providers.js';
import { BehaviorJobHandler, BehaviorScheduledTasks } from './behavior-job.decorators.js';
import { tracedJobHandler } from './traced-job-handler.js';

/**
 * Collects job handlers and scheduled-task declarations by discovery once, at module
 * init (before any runner starts in onApplicationBootstrap), and hands them to the
 * runner. Start-up fails on a duplicate handler or task id, a task naming no handler,
 * and a handler no task runs (it could never be reached, so it is a wiring mistake).
 */
@Injectable()
export class BehaviorJobRegistry implements OnModuleInit {
  private readonly logger = new Logger('BehaviorJobRegistry');
  private collected: { handlers: string[]; tasks: ScheduledTask[] } = { handlers: [], tasks: [] };

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(JOB_RUNNER) private readonly runner: JobRunner,
  ) {}

  get handlerNames(): readonly string[] {
    return this.collected.handlers;
  }

  get tasks(): readonly ScheduledTask[] {
    return this.collected.tasks;
  }

  async onModuleInit(): Promise<void> {
    const handlers = new Map<string, JobHandlerFn>();
    const add = (name: string | undefined, fn: JobHandlerFn, where: string) => {
      if (!name || typeof name !== 'string') throw new Error(`@BehaviorJobHandler on ${where} needs a name`);
      if (handlers.has(name)) throw new Error(`Job handler "${name}" is declared twice (again on ${where})`);
      handlers.set(name, fn);
    };
    for (const { instance, options } of discoverDecoratedProviders(this.discovery, BehaviorJobHandler)) {
      const target = instance as Partial<BehaviorJobHandlerInstance>;
      const where = instance.constructor.name;
      if (typeof target.handle !== 'function') throw new Error(`Job handler class ${where} has no handle()`);
      add(options, (payload, context) => target.handle!(payload, context), where);
    }
    for (const { instance, method, options } of discoverDecoratedMethods(
      this.discovery,
      BehaviorJobHandler,
    )) {
      const fn = (instance as Record<string, JobHandlerFn>)[method].bind(instance);
      add(options, fn, `${instance.constructor.name}.${method}`);
    }

    const tasks = new Map<string, ScheduledTask>();
    for (const { instance } of discoverDecoratedProviders(this.discovery, BehaviorScheduledTasks)) {
      const source = instance as Partial<ScheduledTaskSource>;
      if (typeof source.scheduledTasks !== 'function') {
        throw new Error(
          `${instance.constructor.name} is marked @BehaviorScheduledTasks but has no scheduledTasks()`,
        );
      }
      for (const task of source.scheduledTasks()) {
        if (tasks.has(task.id)) throw new Error(`Scheduled task "${task.id}" is declared twice`);
        if (!handlers.has(task.handler)) {
          throw new Error(
            `Scheduled task "${task.id}" names handler "${task.handler}", which is not registered`,
          );
        }
        tasks.set(task.id, task);
      }
    }
    const used = new Set([...tasks.values()].map((t) => t.handler));
    const orphans = [...handlers.keys()].filter((name) => !used.has(name));
    if (orphans.length > 0) {
      throw new Error(`Job handler(s) ${orphans.map((o) => `"${o}"`).join(', ')} have no scheduled task`);
    }

    for (const [name, fn] of handlers) this.runner.registerHandler(name, tracedJobHandler(name, fn));
    for (const task of tasks.values()) await this.runner.schedule(task);
    this.collected = { handlers: [...handlers.keys()], tasks: [...tasks.values()] };
    this.logger.log(
      `${this.runner.runnerType} runner: tasks ${[...tasks.values()].map((t) => `${t.id} (${t.cron})`).join(', ') || 'none'}`,
    );
  }
}
