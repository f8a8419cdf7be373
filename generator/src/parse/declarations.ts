// Turns tree-sitter declaration nodes (struct/union/enum specifiers, typedefs, fields) into syntax.ts nodes.
// Anything outside the supported subset is a located HeaderError, never skipped.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { SyntaxNode } from './treesitter.js';
import type {
  Attribute, Declarator, EnumSyntax, EnumeratorSyntax, Expr, KernelDoc, MemberSyntax, RecordSyntax, TypeSpec,
  TypedefSyntax,
} from './syntax.js';

/** The type specifiers that are C keywords; tree-sitter's other primitive_type names are libc typedefs. */
const C_TYPE_KEYWORDS: ReadonlySet<string> = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool']);

export interface ReaderContext {
  /** Where a node of the preprocessed text stands in the header. */
  loc(node: SyntaxNode): Loc;
  /** Parse a constant expression node (macro-expanded). */
  expr(node: SyntaxNode): Expr;
  /** The kernel-doc comment that names this declaration, if any. */
  docFor(kind: 'struct' | 'union' | 'enum' | 'typedef', name: string): KernelDoc | null;
  /** Called for every record or enum definition met, nested ones included, so they become file-scope tags. */
  defined(decl: RecordSyntax | EnumSyntax): void;
  /** The `#pragma pack` value in effect at an offset of the preprocessed text (null: none). */
  packAt(offset: number): number | null;
}

export class DeclarationReader {
  constructor(private readonly ctx: ReaderContext) {}

  private loc(node: SyntaxNode): Loc {
    return this.ctx.loc(node);
  }

  private fail(node: SyntaxNode, reason: string): never {
    throw new HeaderError(this.loc(node), reason);
  }

  /** A `struct_specifier`, `union_specifier` or `enum_specifier` node, as a type specifier. */
  typeSpec(node: SyntaxNode): TypeSpec {
    switch (node.type) {
      case 'primitive_type':
        // tree-sitter also calls libc's type names primitive (size_t, uint32_t): those are typedef names in C.
        if (!C_TYPE_KEYWORDS.has(node.text)) return { kind: 'typedef-name', name: node.text, loc: this.loc(node) };
        return { kind: 'primitive', words: [node.text], loc: this.loc(node) };
      case 'sized_type_specifier':
        return { kind: 'primitive', words: node.text.split(/\s+/), loc: this.loc(node) };
      case 'type_identifier':
        return { kind: 'typedef-name', name: node.text, loc: this.loc(node) };
      case 'struct_specifier':
      case 'union_specifier': {
        const tag = node.type === 'struct_specifier' ? 'struct' : 'union';
        const name = node.childForFieldName('name')?.text ?? null;
        const body = node.childForFieldName('body');
        if (!body) {
          if (name === null) this.fail(node, `${tag} without a name or a body`);
          return { kind: 'record-ref', tag, name, loc: this.loc(node) };
        }
        const def = this.record(node, tag, name, body);
        this.ctx.defined(def);
        return { kind: 'record-def', def };
      }
      case 'enum_specifier': {
        const name = node.childForFieldName('name')?.text ?? null;
        const body = node.childForFieldName('body');
        if (!body) {
          if (name === null) this.fail(node, 'enum without a name or a body');
          return { kind: 'enum-ref', name, loc: this.loc(node) };
        }
        if (node.childForFieldName('underlying_type')) this.fail(node, 'enums with a fixed underlying type are not supported');
        const def = this.enumDef(node, name, body);
        this.ctx.defined(def);
        return { kind: 'enum-def', def };
      }
      default:
        return this.fail(node, `unsupported type specifier '${node.text.slice(0, 40)}' (${node.type})`);
    }
  }

  private record(node: SyntaxNode, tag: 'struct' | 'union', name: string | null, body: SyntaxNode): RecordSyntax {
    const members: MemberSyntax[] = [];
    for (const child of body.namedChildren) this.bodyItem(child, members);
    return {
      kind: 'record',
      tag,
      name,
      members,
      attributes: this.attributesOf(node.namedChildren),
      pack: this.ctx.packAt(body.endIndex),
      doc: name === null ? null : this.ctx.docFor(tag, name),
      loc: this.loc(node),
    };
  }

  private bodyItem(child: SyntaxNode, members: MemberSyntax[]): void {
    if (child.type === 'comment') return;
    if (child.type === 'field_declaration') {
      for (const m of this.fieldDeclaration(child)) members.push(m); // a loop: `int a, b, ...` may be too long to spread
      return;
    }
    if (child.type.startsWith('preproc_')) this.fail(child, '#include inside a declaration is not supported');
    this.fail(child, `unsupported construct in a struct body (${child.type})`);
  }

  private fieldDeclaration(node: SyntaxNode): MemberSyntax[] {
    const typeNode = node.childForFieldName('type');
    if (!typeNode) this.fail(node, 'field without a type');
    const children = node.namedChildren; // listed once: each listing makes every child's node object anew
    this.rejectQualifiers(children);
    const type = this.typeSpec(typeNode);
    const attributes = this.attributesOf(children);
    const out: MemberSyntax[] = [];
    // Declarators and bit-field clauses come as a flat list: decl [bitfield] , decl [bitfield] ...
    const typeId = typeNode.id;
    const kids = children.filter((c) => c.id !== typeId && c.type !== 'attribute_specifier' && c.type !== 'type_qualifier' && c.type !== 'comment');
    for (let i = 0; i < kids.length; i++) {
      const d = kids[i]!;
      const next = kids[i + 1];
      const bit = next?.type === 'bitfield_clause' ? next : null;
      if (bit) i++;
      if (d.type === 'bitfield_clause') {
        // `int : 3;` with no declarator at all
        out.push({ kind: 'member', type, declarator: null, bitWidth: this.bitWidth(d), attributes, loc: this.loc(node) });
        continue;
      }
      if (d.isMissing && bit) {
        // tree-sitter inserts a missing identifier for an unnamed bit-field inside a declarator list
        out.push({ kind: 'member', type, declarator: null, bitWidth: this.bitWidth(bit), attributes, loc: this.loc(bit) });
        continue;
      }
      const declarator = this.declarator(d, bit ? this.bitWidth(bit) : null, attributes);
      out.push({ kind: 'member', type, declarator, bitWidth: null, attributes: [], loc: this.loc(node) });
    }
    if (out.length === 0) {
      if (type.kind !== 'record-def' || type.def.name !== null) {
        // `struct foo { ... };` nested with a tag and no member name declares only the tag (gcc warns too)
        if (type.kind === 'record-def' || type.kind === 'enum-def') return [];
        this.fail(node, 'field declaration declares nothing');
      }
      out.push({ kind: 'member', type, declarator: null, bitWidth: null, attributes, loc: this.loc(node) });
    }
    return out;
  }

  private bitWidth(clause: SyntaxNode): Expr {
    const e = clause.namedChildren[0];
    if (!e) this.fail(clause, 'bit-field without a width');
    return this.ctx.expr(e);
  }

  declarator(node: SyntaxNode, bitWidth: Expr | null, inherited: readonly Attribute[]): Declarator {
    let pointer = 0;
    const arrays: (Expr | null)[] = [];
    const attributes: Attribute[] = [...inherited];
    let cur: SyntaxNode = node;
    for (;;) {
      switch (cur.type) {
        case 'field_identifier':
        case 'identifier':
        case 'type_identifier':
        case 'primitive_type': // `typedef __ssize_t ssize_t;` (tree-sitter's libc names, see typeSpec)
          if (cur.type === 'primitive_type' && C_TYPE_KEYWORDS.has(cur.text)) this.fail(cur, `unsupported declarator (${cur.type})`);
          if (cur.isMissing) this.fail(cur, 'declarator without a name');
          return { kind: 'declarator', name: cur.text, pointer, arrays: arrays.reverse(), bitWidth, attributes, loc: this.loc(cur) };
        case 'array_declarator': {
          const size = cur.childForFieldName('size');
          arrays.push(size ? this.ctx.expr(size) : null);
          cur = this.child(cur, 'declarator');
          break;
        }
        case 'pointer_declarator':
          if (arrays.length > 0) this.fail(cur, 'arrays of pointers are not supported');
          pointer++;
          this.rejectQualifiers(cur.namedChildren);
          cur = this.child(cur, 'declarator');
          break;
        case 'attributed_declarator':
          for (const a of cur.namedChildren) if (a.type === 'attribute_specifier') for (const x of this.attributeList(a)) attributes.push(x);
          cur = cur.namedChildren[0]!;
          break;
        case 'parenthesized_declarator':
          this.fail(cur, 'parenthesized declarators (function pointers, pointers to arrays) are not supported');
          break;
        case 'function_declarator': {
          // `(*name)(params)`: a pointer to a function, opaque 8 bytes like any pointer; a function itself is not data.
          const inner = this.child(cur, 'declarator');
          if (arrays.length === 0 && (inner.type === 'identifier' || inner.type === 'type_identifier' || inner.type === 'field_identifier')) {
            // `fn_t(int)`: the name is a function; the `*`s before it belong to its return type.
            return { kind: 'declarator', name: inner.text, pointer: 0, arrays: [], bitWidth, attributes, function: true, loc: this.loc(inner) };
          }
          const ptr = inner.type === 'parenthesized_declarator' && inner.namedChildCount === 1 ? inner.namedChildren[0]! : null;
          if (!ptr || ptr.type !== 'pointer_declarator' || arrays.length > 0 || pointer > 0) {
            this.fail(cur, 'function declarators are not supported in a data structure (only a plain function pointer is)');
          }
          pointer++;
          this.rejectQualifiers(ptr.namedChildren);
          cur = this.child(ptr, 'declarator');
          break;
        }
        default:
          this.fail(cur, `unsupported declarator (${cur.type})`);
      }
    }
  }

  private child(node: SyntaxNode, field: string): SyntaxNode {
    const c = node.childForFieldName(field);
    if (!c) this.fail(node, `malformed ${node.type}`);
    return c;
  }

  /** Fails at a qualifier among `children` (a node's named children) other than const and volatile. */
  private rejectQualifiers(children: readonly SyntaxNode[]): void {
    for (const q of children) {
      if (q.type === 'type_qualifier' && !['const', 'volatile'].includes(q.text)) {
        this.fail(q, `unsupported type qualifier '${q.text}'`);
      }
    }
  }

  private enumDef(node: SyntaxNode, name: string | null, body: SyntaxNode): EnumSyntax {
    const values: EnumeratorSyntax[] = [];
    for (const child of body.namedChildren) {
      if (child.type === 'comment') continue;
      if (child.type !== 'enumerator') this.fail(child, `unsupported construct in an enum body (${child.type})`);
      const valueNode = child.childForFieldName('value');
      values.push({
        kind: 'enumerator',
        name: this.child(child, 'name').text,
        value: valueNode ? this.ctx.expr(valueNode) : null,
        loc: this.loc(child),
      });
    }
    return {
      kind: 'enum',
      name,
      values,
      attributes: this.attributesOf(node.namedChildren),
      doc: name === null ? null : this.ctx.docFor('enum', name),
      loc: this.loc(node),
    };
  }

  typedef(node: SyntaxNode): TypedefSyntax[] {
    const typeNode = this.child(node, 'type');
    const children = node.namedChildren;
    this.rejectQualifiers(children);
    const type = this.typeSpec(typeNode);
    const attributes = this.attributesOf(children);
    const declarators = node.childrenForFieldName('declarator');
    if (declarators.length === 0) this.fail(node, 'typedef without a name');
    return declarators.map((d) => {
      const declarator = this.declarator(d, null, []);
      return {
        kind: 'typedef',
        type,
        declarator,
        attributes,
        doc: this.ctx.docFor('typedef', declarator.name),
        loc: this.loc(node),
      };
    });
  }

  /** The `__attribute__((a, b(1)))` among `children` (a node's named children). */
  private attributesOf(children: readonly SyntaxNode[]): Attribute[] {
    const out: Attribute[] = [];
    for (const c of children) {
      if (c.type === 'attribute_specifier') for (const x of this.attributeList(c)) out.push(x);
      else if (c.type === 'attribute_declaration' || c.type === 'ms_declspec_modifier') this.fail(c, `unsupported attribute syntax '${c.text}'`);
    }
    return out;
  }

  private attributeList(spec: SyntaxNode): Attribute[] {
    const list = spec.namedChildren[0];
    if (!list) return [];
    return list.namedChildren.map((a): Attribute => {
      if (a.type === 'identifier') return { kind: 'attribute', name: bare(a.text), args: [], loc: this.loc(a) };
      if (a.type === 'call_expression') {
        const fn = this.child(a, 'function');
        const args = this.child(a, 'arguments').namedChildren.map((x) => this.ctx.expr(x));
        return { kind: 'attribute', name: bare(fn.text), args, loc: this.loc(a) };
      }
      return this.fail(a, `unsupported attribute '${a.text}'`);
    });
  }
}

/** `__packed__` and `packed` name the same attribute. */
function bare(name: string): string {
  return name.replace(/^__(.*)__$/, '$1');
}
