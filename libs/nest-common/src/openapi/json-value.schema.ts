/**
 * Any JSON value, for `@ApiProperty({ ...JSON_VALUE_SCHEMA })`. Without it Nest documents an
 * `unknown` property as `{ type: object }`, and a generated client refuses a string or a number.
 * OpenAPI 3.0 has no `null` type: the string branch carries `nullable` (a bare `nullable` beside
 * `oneOf` is invalid, see Redocly's nullable-type-sibling).
 */
export const JSON_VALUE_SCHEMA = {
  oneOf: [
    { type: 'string', nullable: true },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};
