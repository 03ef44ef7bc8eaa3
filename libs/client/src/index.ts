export type { components, operations, paths } from './generated/openapi.js';
export {
  createBehaviorClient,
  type BatchItemResult,
  type BatchResult,
  type BehaviorClient,
  type BehaviorClientOptions,
  type BehaviorSignal,
  type BehaviorSignalPage,
  type CreateOverlay,
  type ErrorResponse,
  type Overlay,
  type OverlayOperation,
  type ResolveResult,
  type Schemas,
  type SignalBatch,
  type SignalEnvelope,
} from './behavior-client.js';
export { attrFilters, type AttrFilterValue, type AttrRange } from './attr-filters.js';
