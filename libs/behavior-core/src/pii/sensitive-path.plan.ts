import type {
  AttributeDefinition,
  AttributeShape,
  PiiTreatment,
  SignalSchemaDefinition,
} from '../contracts/signal-schema.js';

/**
 * Where a schema's sensitive attributes sit, as a tree that mirrors the attributes: only the
 * branches leading to a sensitive attribute exist, so walking a signal touches nothing else.
 */
export interface SensitiveNode {
  /** Set on a sensitive attribute itself (its value is replaced whole, whatever its type). */
  readonly treatment?: PiiTreatment;
  /** Object members on the way to a sensitive attribute. */
  readonly members?: ReadonlyMap<string, SensitiveNode>;
  /** Array items on the way to one (every element is walked). */
  readonly element?: SensitiveNode;
}

export interface SensitivePlan {
  readonly root: ReadonlyMap<string, SensitiveNode>;
  readonly treatments: ReadonlySet<PiiTreatment>;
}

/** Built once per (frozen) definition; schemas without sensitive attributes get null and cost nothing. */
const plans = new WeakMap<SignalSchemaDefinition, SensitivePlan | null>();

export function sensitivePlan(definition: SignalSchemaDefinition): SensitivePlan | null {
  let plan = plans.get(definition);
  if (plan === undefined) {
    const treatments = new Set<PiiTreatment>();
    const root = membersOf(definition.attributes, treatments);
    plan = root ? { root, treatments } : null;
    plans.set(definition, plan);
  }
  return plan;
}

function membersOf(
  attributes: readonly AttributeDefinition[],
  treatments: Set<PiiTreatment>,
): Map<string, SensitiveNode> | undefined {
  const members = new Map<string, SensitiveNode>();
  for (const attribute of attributes) {
    if (attribute.sensitive) {
      treatments.add(attribute.sensitive);
      members.set(attribute.name, { treatment: attribute.sensitive });
      continue;
    }
    const node = shapeNode(attribute, treatments);
    if (node) members.set(attribute.name, node);
  }
  return members.size > 0 ? members : undefined;
}

function shapeNode(shape: AttributeShape, treatments: Set<PiiTreatment>): SensitiveNode | undefined {
  if (shape.type === 'object') {
    const members = membersOf(shape.attributes, treatments);
    return members ? { members } : undefined;
  }
  if (shape.type === 'array') {
    const element = shapeNode(shape.items, treatments);
    return element ? { element } : undefined;
  }
  return undefined;
}

/** Returned by a rewrite function to remove the attribute. */
export const DROP: unique symbol = Symbol('drop');

export type SensitiveRewrite = (value: unknown, treatment: PiiTreatment) => unknown;

/**
 * A copy of `attributes` with every sensitive value passed through `rewrite`; parts of the tree
 * without a sensitive attribute are shared with the input, which is never modified.
 */
export function rewriteSensitive(
  attributes: Readonly<Record<string, unknown>>,
  plan: SensitivePlan,
  rewrite: SensitiveRewrite,
): Record<string, unknown> {
  return rewriteMembers(attributes, plan.root, rewrite);
}

function rewriteMembers(
  object: Readonly<Record<string, unknown>>,
  members: ReadonlyMap<string, SensitiveNode>,
  rewrite: SensitiveRewrite,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...object };
  for (const [name, node] of members) {
    if (!Object.hasOwn(object, name)) continue;
    const value = rewriteValue(object[name], node, rewrite);
    if (value === DROP) delete copy[name];
    else copy[name] = value;
  }
  return copy;
}

function rewriteValue(value: unknown, node: SensitiveNode, rewrite: SensitiveRewrite): unknown {
  if (node.treatment) return rewrite(value, node.treatment);
  if (node.members && isPlainObject(value)) return rewriteMembers(value, node.members, rewrite);
  if (node.element && Array.isArray(value)) {
    const element = node.element;
    return value.map((item) => {
      const rewritten = rewriteValue(item, element, rewrite);
      // A dropped array element keeps its place as null so the other indexes still line up.
      return rewritten === DROP ? null : rewritten;
    });
  }
  return value;
}

/**
 * Whether an envelope path (`attributes.items[2].email`, as validation errors carry) lies on or
 * under a sensitive attribute, so a message about it may echo part of the value.
 */
export function isSensitivePath(plan: SensitivePlan, path: string): boolean {
  if (!path.startsWith('attributes.')) return false;
  let members: ReadonlyMap<string, SensitiveNode> | undefined = plan.root;
  let node: SensitiveNode | undefined;
  for (const segment of path.slice('attributes.'.length).split(/\.|(?=\[)/)) {
    if (segment.startsWith('[')) {
      node = node?.element;
      if (!node) return false;
      if (node.treatment) return true;
      members = node.members;
      continue;
    }
    node = members?.get(segment);
    if (!node) return false;
    if (node.treatment) return true;
    members = node.members;
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
