import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122000000_foundation } from './Migration20261122000000_foundation.js';
import { Migration20261122010000_signals } from './Migration20261122010000_signals.js';
import { Migration20261122020000_processing } from './Migration20261122020000_processing.js';
import { Migration20261122030000_overlays } from './Migration20261122030000_overlays.js';
import { Migration20261202010000_workflows } from './Migration20261202010000_workflows.js';
import { Migration20261202020000_alerts } from './Migration20261202020000_alerts.js';
import { Migration20261203010000_stream_checkpoints } from './Migration20261203010000_stream_checkpoints.js';
import { Migration20261203020000_stream_partitions } from './Migration20261203020000_stream_partitions.js';
import { Migration20261203030000_metric_days } from './Migration20261203030000_metric_days.js';
import { Migration20261204030000_publishable_keys } from './Migration20261204030000_publishable_keys.js';
import { Migration20261204100000_privacy_erasure } from './Migration20261204100000_privacy_erasure.js';
import { Migration20261204110000_privacy_export } from './Migration20261204110000_privacy_export.js';
import { Migration20261204120000_anomalies } from './Migration20261204120000_anomalies.js';
import { Migration20261204130000_embeddings } from './Migration20261204130000_embeddings.js';
import { Migration20261204140000_embeddings_created } from './Migration20261204140000_embeddings_created.js';

// One linear history; the list is explicit so the compiled service needs no file discovery.
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122000000_foundation', class: Migration20261122000000_foundation },
  { name: 'Migration20261122010000_signals', class: Migration20261122010000_signals },
  { name: 'Migration20261122020000_processing', class: Migration20261122020000_processing },
  { name: 'Migration20261122030000_overlays', class: Migration20261122030000_overlays },
  { name: 'Migration20261202010000_workflows', class: Migration20261202010000_workflows },
  { name: 'Migration20261202020000_alerts', class: Migration20261202020000_alerts },
  {
    name: 'Migration20261203010000_stream_checkpoints',
    class: Migration20261203010000_stream_checkpoints,
  },
  {
    name: 'Migration20261203020000_stream_partitions',
    class: Migration20261203020000_stream_partitions,
  },
  { name: 'Migration20261203030000_metric_days', class: Migration20261203030000_metric_days },
  {
    name: 'Migration20261204030000_publishable_keys',
    class: Migration20261204030000_publishable_keys,
  },
  {
    name: 'Migration20261204100000_privacy_erasure',
    class: Migration20261204100000_privacy_erasure,
  },
  { name: 'Migration20261204110000_privacy_export', class: Migration20261204110000_privacy_export },
  { name: 'Migration20261204120000_anomalies', class: Migration20261204120000_anomalies },
  { name: 'Migration20261204130000_embeddings', class: Migration20261204130000_embeddings },
  {
    name: 'Migration20261204140000_embeddings_created',
    class: Migration20261204140000_embeddings_created,
  },
];
