// Header path + options → annotated model: parse, lower to the model, then apply the header family's profile.
import { annotate } from './conventions/annotate.js';
import type { AnnotatedModel } from './conventions/annotations.js';
import { genericProfile, readProfile } from './conventions/read-profile.js';
import { buildModel } from './lower/build.js';
import { DEFAULT_TARGET, type Target } from './model/target.js';
import { systemIncludeDirs } from './parse/system-includes.js';
import { parseHeader } from './parse/unit.js';

export interface LoadOptions {
  readonly includeDirs: readonly string[];
  /** The family's profile file (headers/<family>.profile.json); the generic conventions without one. */
  readonly profileFile?: string | undefined;
  /** Also search the system's header folders (libc, the compiler's) after -I and the built-in headers. */
  readonly systemIncludes?: boolean | undefined;
  /** The ABI to lay the header out for (x86-64 when not given). */
  readonly target?: Target | undefined;
}

export function loadModel(header: string, options: LoadOptions): AnnotatedModel {
  const profile = options.profileFile ? readProfile(options.profileFile) : genericProfile();
  const target = options.target ?? DEFAULT_TARGET;
  const system = options.systemIncludes ? systemIncludeDirs(target) : undefined;
  const { unit, warnings } = parseHeader(header, { includeDirs: options.includeDirs, systemIncludeDirs: system, target });
  const model = annotate(buildModel(unit, warnings, target), profile);
  if (model.records.length + model.enums.length + model.constants.length + model.ioctls.length > 0) return model;
  // Nothing to bind: most likely the wrong file, or a header whose content is all behind a macro not defined.
  const empty = { loc: { file: header, line: 1, col: 1 }, message: 'the header declares no struct, union, enum, integer constant or ioctl: its package is empty' };
  return { ...model, warnings: [...model.warnings, empty] };
}
