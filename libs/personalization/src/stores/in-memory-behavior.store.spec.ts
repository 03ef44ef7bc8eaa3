import type { BehaviorEvent } from '../events/behavior-event.js';
import { InMemoryBehaviorStore } from './in-memory-behavior.store.js';

const field = (id: string, timestamp: number, extra: Partial<BehaviorEvent> = {}): BehaviorEvent =>
  ({
    id,
    kind: 'field_access',
    timestamp,
    tenantId: 'acme',
    userId: 'u1',
    operation: 'op',
    field: 'f',
    action: 'viewed',
    ...extra,
  }) as BehaviorEvent;

describe('InMemoryBehaviorStore', () => {
  it('is idempotent on event id', async () => {
    const store = new InMemoryBehaviorStore();
    await store.append([field('a', 1), field('b', 2)]);
    await store.append([field('a', 1), field('c', 3)]);
    expect(store.size).toBe(3);
    expect((await store.query({ tenantId: 'acme' })).map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it('filters by tenant, user, role, inclusive time bounds and kinds, ordered by timestamp', async () => {
    const store = new InMemoryBehaviorStore();
    await store.append([
      field('late', 30),
      field('early', 10),
      field('other-tenant', 20, { tenantId: 'globex' }),
      field('other-user', 20, { userId: 'u2', role: 'clerk' }),
      field('manager', 20, { role: 'manager' }),
      {
        id: 'step',
        kind: 'workflow_step',
        timestamp: 20,
        tenantId: 'acme',
        userId: 'u1',
        workflow: 'w',
        step: 's',
        status: 'entered',
      },
    ]);
    const ids = async (q: Parameters<InMemoryBehaviorStore['query']>[0]) =>
      (await store.query(q)).map((e) => e.id);
    expect(await ids({ tenantId: 'acme' })).toEqual(['early', 'other-user', 'manager', 'step', 'late']);
    expect(await ids({ tenantId: 'acme', userId: 'u1', since: 10, until: new Date(20) })).toEqual([
      'early',
      'manager',
      'step',
    ]);
    expect(await ids({ tenantId: 'acme', role: 'manager' })).toEqual(['manager']);
    expect(await ids({ tenantId: 'acme', kinds: ['workflow_step'] })).toEqual(['step']);
    expect(await ids({ tenantId: 'acme', since: 21 })).toEqual(['late']);
  });

  it('hands out copies so callers cannot mutate what is stored', async () => {
    const store = new InMemoryBehaviorStore();
    const event = field('a', 1);
    await store.append([event]);
    (event as { field: string }).field = 'changed';
    const [read] = await store.query({ tenantId: 'acme' });
    (read as { field: string }).field = 'changed again';
    expect((await store.query({ tenantId: 'acme' }))[0]).toMatchObject({ field: 'f' });
  });
});
