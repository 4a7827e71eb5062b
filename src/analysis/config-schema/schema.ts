// The shape of a configuration type as its Go struct gives it (generated from the upstream
// types by tools/config-schemas): what a strict decoder accepts.

export type SchemaNode =
  /** Opaque here: raw JSON (plugin configuration), a custom unmarshaler (durations, quantities), ObjectMeta. */
  | { kind: 'any' }
  | { kind: 'string' | 'boolean' | 'integer' | 'number' }
  /** A struct; no `fields` means an empty struct (`identity: {}`). */
  | { kind: 'object'; fields?: Record<string, SchemaNode> }
  | { kind: 'list' | 'map'; items: SchemaNode };
