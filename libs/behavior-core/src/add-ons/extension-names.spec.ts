import type { BehaviorAddOn } from '../contracts/behavior-add-on';
import type { BehaviorCoreOptions, BehaviorSettings } from '../contracts/behavior-core-options';
import { EngagementInsightStrategy } from '../insights/engagement-insight.strategy';
import { EngagementProjector } from '../metrics/engagement.projector';
import { ThresholdSegmentationStrategy } from '../segmentation/threshold-segmentation.strategy';
import { KafkaSinkFactory } from '../sinks/kafka/kafka-sink.factory';
import { RedisStreamsSinkFactory } from '../sinks/redis-streams/redis-streams-sink.factory';
import { S3SinkFactory } from '../sinks/s3/s3-sink.factory';
import { CORE_EXTENSION_NAMES, extensionNameProblems, knownExtensionNames } from './extension-names';

class ShopModule {}
const shop: BehaviorAddOn = {
  name: 'shop',
  module: ShopModule,
  metricProjectors: ['shop-a'],
  insightStrategies: ['shop'],
  segmentationStrategy: 'shop',
  signalSinkTypes: ['shop-feed'],
};
const never = (): never => {
  throw new Error('no producer in this test');
};

const settings = (
  projectors: string[],
  strategies: string[],
  strategy: string,
): Pick<BehaviorSettings, 'metrics' | 'insights' | 'segmentation'> =>
  ({
    metrics: { projectors },
    insights: { strategies },
    segmentation: { strategy },
  }) as unknown as BehaviorSettings;

describe('extension names', () => {
  it('lists exactly the names of the extensions core ships', () => {
    const options = { settings: {} } as BehaviorCoreOptions;
    expect(CORE_EXTENSION_NAMES).toEqual({
      metricProjectors: [new EngagementProjector().name],
      insightStrategies: [new EngagementInsightStrategy().name],
      segmentationStrategies: [new ThresholdSegmentationStrategy(options).name],
      signalSinkTypes: [
        new RedisStreamsSinkFactory({ settings: options.settings }).type,
        new KafkaSinkFactory(() => never()).type,
        new S3SinkFactory().type,
      ],
    });
  });

  it('adds what enabled add-ons contribute', () => {
    expect(knownExtensionNames([shop])).toEqual({
      metricProjectors: ['engagement', 'shop-a'],
      insightStrategies: ['engagement', 'shop'],
      segmentationStrategies: ['threshold', 'shop'],
      signalSinkTypes: ['redis-streams', 'kafka', 's3', 'shop-feed'],
    });
  });

  it('accepts known names', () => {
    expect(extensionNameProblems(settings(['engagement'], ['engagement'], 'threshold'), [])).toEqual([]);
    expect(extensionNameProblems(settings(['shop-a', 'engagement'], ['shop'], 'shop'), [shop])).toEqual([]);
  });

  it('names the key path and the known names of every unknown one', () => {
    expect(extensionNameProblems(settings(['engagement', 'engagment'], ['shop'], 'treshold'), [])).toEqual([
      'ai.behavior.metrics.projectors.1: unknown metric projector "engagment"; known: engagement',
      'ai.behavior.insights.strategies.0: unknown insight strategy "shop"; known: engagement',
      'ai.behavior.segmentation.strategy: unknown segmentation strategy "treshold"; known: threshold',
    ]);
  });
});
