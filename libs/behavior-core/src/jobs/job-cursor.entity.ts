import { defineEntity, p } from '@mikro-orm/core';

/** Where "since the last run" starts for an incremental job (per job, or per job and tenant). */
export const JobCursorEntity = defineEntity({
  name: 'JobCursor',
  tableName: 'behavior_job_cursors',
  properties: {
    name: p.string().primary(),
    cursorAt: p.datetime(),
  },
});
