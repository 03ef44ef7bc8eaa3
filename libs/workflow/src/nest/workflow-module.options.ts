import type { WorkflowComposerOptions } from '../contracts/composition.types.js';

export interface WorkflowModuleOptions {
  /**
   * What composing does with an extension pinned to another base version. Default `fail`: a
   * tenant's approval step must never silently disappear from its workflow.
   */
  readonly versionMismatch?: WorkflowComposerOptions['versionMismatch'];
}
