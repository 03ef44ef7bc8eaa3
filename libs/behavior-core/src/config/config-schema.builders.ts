import { Type, type TProperties, type TSchema } from 'typebox';

// Builders of the configuration's JSON Schema. Each returns a TypeBox schema, so the TypeScript
// type of a settings tree derives from the same declaration Ajv validates with. Objects refuse
// unknown keys (`additionalProperties: false`) so a misspelt key stops start-up instead of being
// silently ignored; enums stay JSON `enum` so a wrong value's error lists the allowed ones.

export const obj = <T extends TProperties>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

export const int = (minimum: number, maximum?: number) =>
  Type.Integer({ minimum, ...(maximum ? { maximum } : {}) });

export const oneOf = <const V extends readonly (string | number | boolean)[]>(...values: V) =>
  Type.Unsafe<V[number]>({ enum: values });

export const nullableString = Type.Unsafe<string | null>({ type: ['string', 'null'], minLength: 1 });

export const cron = Type.String({ pattern: '^\\S+( \\S+){4,5}$' });

export const names = Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true });

/** A schema whose type is given rather than derived (fragments assembled at run time). */
export const typed = <T>(schema: object) => Type.Unsafe<T>(schema as TSchema);

/** Settings trees are frozen once validated. */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
