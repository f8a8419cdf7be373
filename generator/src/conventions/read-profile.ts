// Reads and checks a profile file (headers/<family>.profile.json): every error names the file, line and column
// of the offending key. The schema is ProfileData (profile.ts); README "Profiles" and docs/ir-schema.md show it.
import { existsSync, readFileSync } from 'node:fs';
import { HeaderError, type Loc } from '../diagnostics.js';
import { GENERIC_PROFILE } from '../profiles/generic.js';
import { HOOKS } from '../profiles/index.js';
import { jsonLocations, pathKey } from './json-locations.js';
import type { Profile, ProfileData } from './profile.js';
import { checkCapabilityChainsKey } from './read-capability-chains.js';
import { checkFlexArraysKey } from './read-flex-arrays.js';
import { checkHandleKinds } from './read-handle-kinds.js';
import { checkPointersKey } from './read-pointers.js';
import { checkRelatedKey } from './read-related.js';
import { isObject } from './profile-shape.js';

const RETURNS = ['zero', 'value', 'fd'];

/** The generic conventions, for a header with no profile file. */
export function genericProfile(): Profile {
  const start = { file: '<generic profile>', line: 1, col: 1 };
  return { file: null, data: GENERIC_PROFILE, hooks: HOOKS.get(GENERIC_PROFILE.hooks)!, at: () => start };
}

export function readProfile(file: string): Profile {
  const start: Loc = { file, line: 1, col: 1 };
  if (!existsSync(file)) throw new HeaderError(start, 'profile file not found');
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new HeaderError(start, `profile file is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new HeaderError(start, 'profile file must hold a JSON object');
  const locations = jsonLocations(file, text);
  const at = (path: readonly string[]): Loc => locations.get(pathKey(path)) ?? start;
  const fail = (path: readonly string[], message: string): never => {
    throw new HeaderError(at(path), `${path.join('.')}: ${message}`);
  };
  const o = data as Record<string, unknown>;
  const known = new Set(['$comment', ...Object.keys(GENERIC_PROFILE)]);
  for (const key of Object.keys(o)) {
    if (key === 'hints') fail([key], 'unknown key (hints files are now profiles: move its keys to the top level)');
    if (!known.has(key)) fail([key], `unknown key; a profile has ${[...known].filter((k) => k !== '$comment').join(', ')}`);
  }
  const stringOr = (key: string, what: string): void => {
    if (o[key] !== undefined && o[key] !== null && (typeof o[key] !== 'string' || o[key] === '')) fail([key], `must be ${what}`);
  };
  const names = (key: string, what: string): void => {
    const v = o[key];
    if (v === undefined) return;
    if (!Array.isArray(v)) fail([key], `must be a list of ${what}`);
    (v as unknown[]).forEach((x, i) => typeof x === 'string' || fail([key, String(i)], `must be ${what.replace(/s$/, '')}`));
  };
  const map = (key: string, what: string, ok: (v: unknown) => boolean): void => {
    const v = o[key];
    if (v === undefined) return;
    if (!isObject(v)) fail([key], `must map ${what}`);
    for (const [k, x] of Object.entries(v as object)) if (!ok(x)) fail([key, k], `must be ${what.split(' to ')[1]}`);
  };

  if (o.hooks !== undefined && (typeof o.hooks !== 'string' || !HOOKS.has(o.hooks))) fail(['hooks'], `must name typed hooks: ${[...HOOKS.keys()].join(', ')}`);
  stringOr('device', 'a path such as /dev/foo');
  if (typeof o.device === 'string' && !o.device.startsWith('/')) fail(['device'], 'must be an absolute path such as /dev/foo');
  stringOr('docs', 'an https:// address');
  if (typeof o.docs === 'string' && !/^https:\/\/\S+$/.test(o.docs)) fail(['docs'], 'must be an https:// address');
  if (o.extension !== undefined && o.extension !== null && o.extension !== 'size' && o.extension !== 'argsz') fail(['extension'], 'must be "size", "argsz" or null');
  stringOr('reserved', 'a regular expression');
  if (typeof o.reserved === 'string') {
    try {
      new RegExp(o.reserved);
    } catch (e) {
      fail(['reserved'], `is not a regular expression: ${(e as Error).message}`);
    }
  }
  stringOr('methodPrefix', 'a prefix such as FOO_');
  if (o.argFromComment !== undefined && typeof o.argFromComment !== 'boolean') fail(['argFromComment'], 'must be true or false');
  map('returns', 'ioctl names to zero, value or fd', (v) => RETURNS.includes(v as string));
  map('ioctlArgs', 'ioctl names to a struct name or null', (v) => v === null || (typeof v === 'string' && v !== ''));
  names('ignoreDocRefs', 'ioctl names');
  names('values', 'struct.field paths');
  checkPointersKey(o.pointers, fail);
  checkRelatedKey(o.related, fail);
  checkHandleKinds(o.handles, o.valueArgs, fail);
  map('grow', 'ioctl names to an errno name such as E2BIG', (v) => typeof v === 'string' && /^E[A-Z0-9]+$/.test(v));
  checkFlexArraysKey(o.flexArrays, fail);
  checkCapabilityChainsKey(o.capabilityChains, fail);
  const merged = { ...GENERIC_PROFILE, ...(o as Partial<ProfileData>) } as ProfileData & { $comment?: unknown };
  delete merged.$comment;
  return { file, data: merged, hooks: HOOKS.get(merged.hooks)!, at };
}
