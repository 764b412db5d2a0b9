/**
 * `{ key: value }` when the value is defined, `{}` otherwise: `exactOptionalPropertyTypes` forbids writing
 * `undefined` into an optional property, and OpenAI must not receive keys the request did not set.
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
