import { copyConfig } from './config-copy.js';
import type { RemovedStep, StepChange, StepProvenance } from '../contracts/composition.types.js';
import type { WorkflowStepInput } from '../contracts/workflow-extension.types.js';
import type { WorkflowSpec, WorkflowStep, WorkflowTransition } from '../contracts/workflow-spec.types.js';

export interface MutableStep {
  id: string;
  type: string;
  label: string;
  transitions: WorkflowTransition[];
  config?: Readonly<Record<string, unknown>>;
}

interface MutableProvenance {
  stepId: string;
  addedBy: string | null;
  changes: StepChange[];
}

export function transition(to: string, on: string | undefined): WorkflowTransition {
  // Leave `on` out rather than set it to undefined, so composed specs compare equal to hand-written ones.
  return on === undefined ? { to } : { to, on };
}

/* Steps are copied on the way in and on the way out, `config` included, so neither the
 * inputs nor a returned result can be changed through a shared reference. */
export function copyStep(step: WorkflowStepInput, transitions: readonly WorkflowTransition[]): MutableStep {
  const copy: MutableStep = {
    id: step.id,
    type: step.type,
    label: step.label,
    transitions: transitions.map((t) => transition(t.to, t.on)),
  };
  if (step.config !== undefined) copy.config = copyConfig(step.config);
  return copy;
}

/** The mutable graph the operations work on, plus the provenance they record. */
export class WorkingWorkflow {
  private constructor(
    readonly id: string,
    readonly version: number,
    readonly name: string | undefined,
    public start: string,
    public terminal: string[],
    readonly order: string[],
    readonly steps: Map<string, MutableStep>,
    readonly provenance: Map<string, MutableProvenance>,
    readonly removed: RemovedStep[],
  ) {}

  static fromSpec(spec: WorkflowSpec): WorkingWorkflow {
    const steps = new Map<string, MutableStep>();
    for (const step of spec.steps) steps.set(step.id, copyStep(step, step.transitions));
    // Provenance entries are created on first change: most base steps are never touched.
    const provenance = new Map<string, MutableProvenance>();
    return new WorkingWorkflow(
      spec.id,
      spec.version,
      spec.name,
      spec.start,
      [...spec.terminal],
      spec.steps.map((s) => s.id),
      steps,
      provenance,
      [],
    );
  }

  /** An independent snapshot, used to roll back an extension that failed. */
  clone(): WorkingWorkflow {
    const steps = new Map<string, MutableStep>();
    for (const [id, s] of this.steps) steps.set(id, { ...s, transitions: [...s.transitions] });
    const provenance = new Map<string, MutableProvenance>();
    for (const [id, p] of this.provenance) provenance.set(id, { ...p, changes: [...p.changes] });
    return new WorkingWorkflow(
      this.id,
      this.version,
      this.name,
      this.start,
      [...this.terminal],
      [...this.order],
      steps,
      provenance,
      [...this.removed],
    );
  }

  has(id: string): boolean {
    return this.steps.has(id);
  }

  get(id: string): MutableStep | undefined {
    return this.steps.get(id);
  }

  isTerminal(id: string): boolean {
    return this.terminal.includes(id);
  }

  stepsInOrder(): MutableStep[] {
    return this.order.map((id) => this.steps.get(id)!);
  }

  /** Adds a step next to `neighbour` in the step list, so composed specs read in flow order. */
  addStep(step: MutableStep, neighbour: string, side: 'before' | 'after', addedBy: string): void {
    const at = this.order.indexOf(neighbour);
    this.order.splice(side === 'after' ? at + 1 : at, 0, step.id);
    this.steps.set(step.id, step);
    this.provenance.set(step.id, { stepId: step.id, addedBy, changes: [] });
  }

  /** Puts `step` where `oldId` was; provenance is kept when the id stays the same. */
  swapStep(oldId: string, step: MutableStep, addedBy: string): void {
    this.order[this.order.indexOf(oldId)] = step.id;
    this.steps.delete(oldId);
    this.steps.set(step.id, step);
    if (step.id !== oldId) {
      this.provenance.delete(oldId);
      this.provenance.set(step.id, { stepId: step.id, addedBy, changes: [] });
    }
  }

  deleteStep(id: string): void {
    this.order.splice(this.order.indexOf(id), 1);
    this.steps.delete(id);
    this.provenance.delete(id);
  }

  /** Points every transition into `from` (from any step, self-loops included) at `to`; returns the steps changed. */
  redirectIncoming(from: string, to: string): string[] {
    const changed: string[] = [];
    for (const step of this.steps.values()) {
      let touched = false;
      for (let i = 0; i < step.transitions.length; i++) {
        const t = step.transitions[i]!;
        if (t.to === from) {
          step.transitions[i] = transition(to, t.on);
          touched = true;
        }
      }
      if (touched) changed.push(step.id);
    }
    return changed;
  }

  record(stepId: string, change: StepChange): void {
    if (!this.steps.has(stepId)) return;
    const entry = this.provenance.get(stepId);
    if (entry) entry.changes.push(change);
    else this.provenance.set(stepId, { stepId, addedBy: null, changes: [change] });
  }

  /**
   * Hands the working steps over instead of copying them again: they are already private
   * copies and the composer drops the working workflow right after. Not for snapshots.
   */
  toSpec(): WorkflowSpec {
    const steps: WorkflowStep[] = this.stepsInOrder();
    const spec: { -readonly [K in keyof WorkflowSpec]: WorkflowSpec[K] } = {
      id: this.id,
      version: this.version,
      start: this.start,
      steps,
      terminal: [...this.terminal],
    };
    if (this.name !== undefined) spec.name = this.name;
    return spec;
  }

  /** One entry per step, in step order; hands over like `toSpec`. */
  provenanceRecord(): Record<string, StepProvenance> {
    const out: Record<string, StepProvenance> = {};
    for (const id of this.order) {
      // defineProperty, not assignment: a step named `__proto__` must stay an own key.
      Object.defineProperty(out, id, {
        value: this.provenance.get(id) ?? { stepId: id, addedBy: null, changes: [] },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
}
