/* @lssm/overlay/react: imports only types from the core, so bundling it pulls no node:crypto. */
export { OverlayProvider, type OverlayProviderProps } from './overlay-provider.js';
export { useOverlay, type UseOverlayResult } from './use-overlay.js';
export {
  useOverlayFields,
  type UseOverlayFieldsOptions,
  type UseOverlayFieldsResult,
} from './use-overlay-fields.js';
export { useOverlayEngine } from './use-overlay-engine.js';
