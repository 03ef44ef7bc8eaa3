import { DatabasePool } from '@lssm/nest-common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { JobCursorEntity } from './job-cursor.entity.js';

/** Incremental jobs' cursors, read and moved against the database clock (never this host's). */
@Injectable()
export class JobCursorRepository {
  constructor(
    private readonly orm: MikroORM,
    @Inject(DatabasePool) private readonly db: DatabasePool,
  ) {}

  async get(name: string): Promise<Date | undefined> {
    const cursor = await this.orm.em.fork().findOne(JobCursorEntity, { name });
    return cursor?.cursorAt;
  }

  async set(name: string, cursorAt: Date): Promise<void> {
    await this.orm.em.fork().upsert(JobCursorEntity, { name, cursorAt });
  }

  async databaseNow(): Promise<Date> {
    const { rows } = await this.db.background.query<{ now: Date }>('select clock_timestamp() as now');
    return rows[0].now;
  }
}
