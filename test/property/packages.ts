// The generated packages the property and runtime tests iterate: every package of uapi-ts.config.json (a series
// package as its newest held header), the golden widget fixture, which has what the kernel headers lack
// (bit-fields, floats, _Bool, big-endian fields, named nested structs, arrays of structs), and the golden grids
// (multi-dimensional arrays of structs, also in a union).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readConfig } from '../../generator/src/config.js';
import { loadModel } from '../../generator/src/load.js';
import type { AnnotatedModel as Model } from '../../generator/src/conventions/annotations.js';

export interface TestPackage {
  readonly name: string;
  readonly model: Model;
  readonly header: string;
  readonly includeDirs: readonly string[];
  /** The package's src/index.ts, imported through vitest. */
  load(): Promise<Record<string, unknown>>;
}

function pkg(name: string, header: string, includeDirs: readonly string[], hints: string | undefined, out: string): TestPackage {
  const model = loadModel(header, { includeDirs, profileFile: hints });
  const url = pathToFileURL(resolve(out, 'src/index.ts')).href;
  return { name, model, header, includeDirs, load: () => import(/* @vite-ignore */ url) as Promise<Record<string, unknown>> };
}

export function testPackages(): TestPackage[] {
  return [
    ...readConfig('uapi-ts.config.json').map((p) => pkg(p.name, p.header, p.includeDirs, p.profile, p.out)),
    pkg('@golden/widget', 'test/golden/fixtures/widget.h', [], undefined, 'test/golden/expected/widget'),
    pkg('@golden/grids', 'test/golden/fixtures/grids.h', [], undefined, 'test/golden/expected/grids'),
  ];
}
