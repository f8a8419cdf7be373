// Reads and checks a profile file (headers/<family>.profile.json): every error names the file, line and column
// of the offending key. The schema is ProfileData (profile.ts); README "Profiles" and docs/ir-schema.md show it.
import { existsSync, readFileSync } from 'node:fs';
import { HeaderError, type Loc } from '../diagnostics.js';
import { GENERIC_PROFILE } from '../profiles/generic.js';
import { HOOKS } from '../profiles/index.js';
import { jsonLocations, pathKey } from './json-locations.js';
import type { Profile, ProfileData } from './profile.js';
import { checkHandleKinds } from './read-handle-kinds.js';

const RETURNS = ['zero', 'value', 'fd'];
const DIRS = ['in', 'out', 'inout'];
const POINTER_KEYS = ['to', 'dir', 'count', 'length', 'minBytes'];

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
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
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
  const pointers = o.pointers;
  if (pointers !== undefined) {
    if (!isObject(pointers)) fail(['pointers'], 'must map struct.field paths to pointer descriptions');
    for (const [k, v] of Object.entries(pointers as object)) {
      if (!isObject(v)) fail(['pointers', k], 'must be an object');
      for (const [kk, vv] of Object.entries(v as object)) {
        const ok = kk === 'dir' ? DIRS.includes(vv as string) : POINTER_KEYS.includes(kk) && typeof vv === 'string';
        if (!ok) fail(['pointers', k, kk], 'expected to (buffer | struct NAME), dir (in | out | inout), count or length (a field name), minBytes (an expression)');
      }
    }
  }
  const related = o.related;
  if (related !== undefined) {
    if (!isObject(related)) fail(['related'], 'must map struct.field paths to { says, see }');
    for (const [k, v] of Object.entries(related as object)) {
      if (!isObject(v)) fail(['related', k], 'must be an object { says, see }');
      const e = v as Record<string, unknown>;
      for (const kk of Object.keys(e)) if (kk !== 'says' && kk !== 'see') fail(['related', k, kk], 'unknown key; expected says, see');
      if (e.says === undefined) fail(['related', k], 'needs says, a sentence saying what the field holds');
      if (typeof e.says !== 'string' || e.says === '') fail(['related', k, 'says'], 'must be a sentence saying what the field holds');
      if (e.see === undefined) fail(['related', k], 'needs see, a list of { package, ioctl } entries');
      if (!Array.isArray(e.see) || e.see.length === 0) fail(['related', k, 'see'], 'must list { package, ioctl } entries');
      (e.see as unknown[]).forEach((s, i) => {
        const ok = isObject(s) && Object.keys(s).every((x) => x === 'package' || x === 'ioctl')
          && typeof s.package === 'string' && /^@[a-z0-9-]+\/[a-z0-9.-]+$/.test(s.package) && typeof s.ioctl === 'string' && /^[A-Z][A-Z0-9_]*$/.test(s.ioctl);
        if (!ok) fail(['related', k, 'see', String(i)], 'must be { "package": "@scope/name", "ioctl": "IOCTL_NAME" }');
      });
    }
  }
  checkHandleKinds(o.handles, o.valueArgs, fail);
  map('grow', 'ioctl names to an errno name such as E2BIG', (v) => typeof v === 'string' && /^E[A-Z0-9]+$/.test(v));
  const flex = o.flexArrays;
  if (flex !== undefined) {
    if (!isObject(flex)) fail(['flexArrays'], 'must map struct.member paths to flexible array descriptions');
    for (const [k, v] of Object.entries(flex as object)) {
      if (!isObject(v)) fail(['flexArrays', k], 'must be an object');
      for (const [kk, vv] of Object.entries(v as object)) {
        const ok = kk === 'count' ? vv === null || (typeof vv === 'string' && vv !== '') : kk === 'element' && typeof vv === 'string';
        if (!ok) fail(['flexArrays', k, kk], 'expected count (a member name, or null: none holds it) or element (an integer type such as __s32)');
      }
    }
  }
  const chains = o.capabilityChains;
  if (chains !== undefined) {
    if (!isObject(chains)) fail(['capabilityChains'], 'must map ioctl names to capability chain descriptions');
    const CHAIN_KEYS = ['offset', 'flag', 'flagsField', 'header', 'ids', 'structs'];
    for (const [k, v] of Object.entries(chains as object)) {
      if (!isObject(v)) fail(['capabilityChains', k], 'must be an object');
      for (const key of ['offset', 'flag', 'header', 'ids']) if (!(key in (v as object))) fail(['capabilityChains', k], `needs ${key}`);
      for (const [kk, vv] of Object.entries(v as object)) {
        if (!CHAIN_KEYS.includes(kk)) fail(['capabilityChains', k, kk], `unknown key; a chain has ${CHAIN_KEYS.join(', ')}`);
        if (kk === 'structs') {
          if (!isObject(vv)) fail(['capabilityChains', k, kk], 'must map id constants to struct names');
          for (const [id, s] of Object.entries(vv as object)) if (typeof s !== 'string' || s === '') fail(['capabilityChains', k, kk, id], 'must be a struct name');
        } else if (typeof vv !== 'string' || vv === '') fail(['capabilityChains', k, kk], 'must be a name');
        if (kk === 'ids') {
          try {
            new RegExp(vv as string);
          } catch (e) {
            fail(['capabilityChains', k, kk], `is not a regular expression: ${(e as Error).message}`);
          }
        }
      }
    }
  }
  const merged = { ...GENERIC_PROFILE, ...(o as Partial<ProfileData>) } as ProfileData & { $comment?: unknown };
  delete merged.$comment;
  return { file, data: merged, hooks: HOOKS.get(merged.hooks)!, at };
}
