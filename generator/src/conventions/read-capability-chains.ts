// Checks a profile's `capabilityChains` key (ioctl → how its capability chain is found): its shape only;
// capabilities.ts checks the names against the header.
import { isObject, type Fail } from './profile-shape.js';

const CHAIN_KEYS = ['offset', 'flag', 'flagsField', 'header', 'ids', 'structs'];

export function checkCapabilityChainsKey(chains: unknown, fail: Fail): void {
  if (chains === undefined) return;
  if (!isObject(chains)) fail(['capabilityChains'], 'must map ioctl names to capability chain descriptions');
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
