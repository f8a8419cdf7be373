// Naming rules for generated TypeScript (documented in the README, "Names"):
// - struct/union `foo_dev_map` → type and codec `FooDevMap`; its input type `FooDevMapInit`;
//   an anonymous record held by member `a.b` of `foo` → `FooAB`.
// - enum `foo_map_flags` → `FooMapFlags` (a const object and a union type of its values);
// - fields, enumerators, #define constants and ioctl numbers keep their C names.

export function pascalCase(cName: string): string {
  return cName
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}
