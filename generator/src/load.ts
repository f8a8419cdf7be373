// Header path + options → annotated model: parse, lower to the model, then apply the header family's profile.
import { annotate } from './conventions/annotate.js';
import type { AnnotatedModel } from './conventions/annotations.js';
import { genericProfile, readProfile } from './conventions/read-profile.js';
import { buildModel } from './lower/build.js';
import { systemIncludeDirs } from './parse/system-includes.js';
import { parseHeader } from './parse/unit.js';

export interface LoadOptions {
  readonly includeDirs: readonly string[];
  /** The family's profile file (headers/<family>.profile.json); the generic conventions without one. */
  readonly profileFile?: string | undefined;
  /** Also search the system's header folders (libc, the compiler's) after -I and the built-in headers. */
  readonly systemIncludes?: boolean | undefined;
}

export function loadModel(header: string, options: LoadOptions): AnnotatedModel {
  const profile = options.profileFile ? readProfile(options.profileFile) : genericProfile();
  const system = options.systemIncludes ? systemIncludeDirs() : undefined;
  const { unit, warnings } = parseHeader(header, { includeDirs: options.includeDirs, systemIncludeDirs: system });
  return annotate(buildModel(unit, warnings), profile);
}
