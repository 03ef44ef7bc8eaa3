import { ApiProperty } from '@nestjs/swagger';

export class ConsumerPartitionDto {
  @ApiProperty() partition: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Worker process holding the lease; null: none live',
  })
  owner: string | null;
  @ApiProperty({ description: 'Signals this consumer took from the partition so far' })
  signalsConsumed: number;
  @ApiProperty({ description: 'Committed signals not taken yet (counted up to 10,000)' }) lagSignals: number;
  @ApiProperty({ description: 'Age of the oldest signal not taken yet, in seconds (0: caught up)' })
  lagSeconds: number;
  @ApiProperty({ description: 'Consecutive failed batches (0 after a success)' }) failures: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastErrorAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the current run of failed batches began (null: the last batch succeeded)',
  })
  failingSince: string | null;
  @ApiProperty({ description: 'Signals parked for this consumer here, not replayed yet' }) parked: number;
}

export class ConsumerStatusDto {
  @ApiProperty({ example: 'metrics' }) name: string;
  @ApiProperty({ enum: ['transactional', 'external'] }) delivery: 'transactional' | 'external';
  @ApiProperty() signalsConsumed: number;
  @ApiProperty({ description: 'Sum over partitions (each counted up to 10,000)' }) lagSignals: number;
  @ApiProperty({ description: 'The largest partition lag, in seconds' }) lagSeconds: number;
  @ApiProperty({ description: 'Consecutive failed batches, summed over partitions' }) failures: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The earliest start of a current run of failures on any partition (null: none failing)',
  })
  failingSince: string | null;
  @ApiProperty() parked: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'redis-streams',
    description: 'For a sink (`sink:<name>`, ai.behavior.sinks): its type; null for other consumers',
  })
  sinkType: string | null;
  @ApiProperty({ type: [ConsumerPartitionDto] }) partitions: ConsumerPartitionDto[];
}

export class ConsumerListDto {
  @ApiProperty({ type: [ConsumerStatusDto] }) items: ConsumerStatusDto[];
}

export class ParkedSignalDto {
  @ApiProperty({ format: 'uuid' }) signalId: string;
  @ApiProperty() partition: number;
  @ApiProperty({ description: 'What the consumer threw (truncated to 2,000 characters)' }) error: string;
  @ApiProperty({ format: 'date-time' }) parkedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) replayedAt: string | null;
}

export class ParkedSignalPageDto {
  @ApiProperty({ type: [ParkedSignalDto], description: 'Oldest first' }) items: ParkedSignalDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}

export class ParkedReplayResultDto {
  @ApiProperty({ description: 'Parked signals the consumer took this time' }) replayed: number;
  @ApiProperty({ description: 'Parked signals that failed again (they stay parked, with the new error)' })
  failed: number;
}
