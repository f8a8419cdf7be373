// Naming rules for generated TypeScript (documented in the README, "Names"):
// - struct/union `iommu_ioas_map` → type and codec `IommuIoasMap`; its input type `IommuIoasMapInit`;
//   an anonymous record held by member `a.b` of `foo` → `FooAB`.
// - enum `iommufd_ioas_map_flags` → `IommufdIoasMapFlags` (a const object and a union type of its values);
// - fields, enumerators, #define constants and ioctl numbers keep their C names.

export function pascalCase(cName: string): string {
  return cName
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** A TS-safe identifier for a C identifier (C names are valid TS names, except reserved words). */
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let',
  'static', 'yield', 'await', 'implements', 'interface', 'package', 'private', 'protected', 'public',
]);

export function isReservedWord(name: string): boolean {
  return RESERVED.has(name);
}
