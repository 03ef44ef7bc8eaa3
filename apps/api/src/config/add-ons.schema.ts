import { ConfigSchema, type BehaviorAddOnDefinition } from '@lssm/behavior-core';

/** One add-on's YAML: its switch beside its own options. */
export type AddOnConfig = { readonly enabled: boolean } & Readonly<Record<string, unknown>>;

/**
 * `ai.behavior.addOns`: one key per listed add-on, its options schema plus `enabled`. Keys other
 * than `enabled` may be left out (the add-on's typed defaults fill them).
 */
export function addOnsSchema(addOns: readonly BehaviorAddOnDefinition<any>[]) {
  const properties = Object.fromEntries(
    addOns.map((a) => [
      a.name,
      {
        ...a.optionsSchema,
        required: ['enabled'],
        properties: { enabled: { type: 'boolean' }, ...a.optionsSchema.properties },
      },
    ]),
  );
  return ConfigSchema.typed<Readonly<Record<string, AddOnConfig>>>({
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties),
    properties,
  });
}

/** What lies beneath config/default.yaml for each listed add-on: off, with its own defaults. */
export function addOnDefaults(addOns: readonly BehaviorAddOnDefinition<any>[]): unknown {
  const addOnsTree = Object.fromEntries(addOns.map((a) => [a.name, { enabled: false, ...a.defaults }]));
  return { ai: { behavior: { addOns: addOnsTree } } };
}
