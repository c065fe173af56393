/** `{ key: value }` when the value is there, `{}` for null (SQL NULL) or undefined, so optional fields stay absent */
export function opt<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === null || value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
