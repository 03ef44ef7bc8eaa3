import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  BEHAVIOR_SIGNAL_STORE,
  BehaviorCoreModule,
  SignalIngestionService,
  type BehaviorSignal,
  type BehaviorSignalStore,
  type FailedSignal,
  type StoreWriteResult,
} from '@lssm/behavior-core';
import { loadConfig } from '../../../apps/api/src/config/load-config';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { testDatabaseModule } from '../../../test/support/test-database-module';

/** A real store that keeps signals in memory: what a host swaps in through the module options. */
@Injectable()
class InMemorySignalStore implements BehaviorSignalStore {
  readonly storeType = 'memory';
  readonly signals: BehaviorSignal[] = [];
  readonly failed: FailedSignal[] = [];
  readonly lifecycle: string[] = [];

  async accept(signal: BehaviorSignal): Promise<StoreWriteResult> {
    return this.acceptBatch([signal]);
  }

  async acceptBatch(signals: readonly BehaviorSignal[], failed: readonly FailedSignal[] = []) {
    this.signals.push(...signals);
    this.failed.push(...failed);
    return { outcomes: signals.map((s) => ({ status: 'stored' as const, id: s.id })) };
  }

  async flush(): Promise<void> {}

  async init(): Promise<void> {
    this.lifecycle.push('init');
  }

  async close(): Promise<void> {
    this.lifecycle.push('close');
  }
}

describe('the signal store seam', () => {
  let database: TestDatabase;
  let app: TestingModule;

  beforeAll(async () => {
    database = await createTestDatabase();
    const settings = loadConfig({ env: {}, overrides: { ai: { behavior: { processing: { role: 'api' } } } } })
      .ai.behavior;
    app = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        testDatabaseModule(database.url),
        BehaviorCoreModule.forRoot({
          settings,
          seams: { signalStore: { useClass: InMemorySignalStore } },
        }),
      ],
    }).compile();
    app.useLogger(false);
    await app.init();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('sends ingested signals to the store given in the module options and runs its hooks', async () => {
    const store = app.get<InMemorySignalStore>(BEHAVIOR_SIGNAL_STORE);
    expect(store).toBeInstanceOf(InMemorySignalStore);
    expect(store.lifecycle).toEqual(['init']);

    const results = await app.get(SignalIngestionService).ingest('t1', [
      {
        schemaId: 'content.view',
        userId: 'u1',
        timestamp: new Date().toISOString(),
        attributes: { contentId: 'a' },
      },
      { schemaId: 'content.view', userId: 'u1', timestamp: new Date().toISOString(), attributes: {} },
    ]);

    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(store.signals).toEqual([
      expect.objectContaining({
        tenantId: 't1',
        userId: 'u1',
        schemaId: 'content.view',
        attributes: { contentId: 'a' },
      }),
    ]);
    expect(store.failed).toHaveLength(1);

    await app.close();
    expect(store.lifecycle).toEqual(['init', 'close']);
  });
});
