// Long array fields (256 elements and more: kvm_lapic_state's 1,024 bytes, kvm_xsave's 1,024 words): the encoders'
// fast test of every element, and the store of all of them at once. Checked and written element by element in the
// encoder, such an array cost 1.8x a loop that only writes it (bench/codecs); a tight test here, then one typed
// array `set` (a copy in C++) instead of a DataView store per element, brings that to about 1.3x. Shorter arrays
// stay in the encoder's own code: for 64 elements, making the typed array cost more than the stores it saves.

// One function per kind, each with its own loop and test (a shared loop calling the test would call it per element).
export function allU8(a: unknown, n: number): boolean {
  if (!Array.isArray(a) || a.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const e: unknown = a[i];
    if (typeof e !== 'number' || e !== (e & 0xff)) return false;
  }
  return true;
}
export function allS8(a: unknown, n: number): boolean {
  if (!Array.isArray(a) || a.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const e: unknown = a[i];
    if (typeof e !== 'number' || e !== (e << 24) >> 24) return false;
  }
  return true;
}
export function allU16(a: unknown, n: number): boolean {
  if (!Array.isArray(a) || a.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const e: unknown = a[i];
    if (typeof e !== 'number' || e !== (e & 0xffff)) return false;
  }
  return true;
}
export function allS16(a: unknown, n: number): boolean {
  if (!Array.isArray(a) || a.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const e: unknown = a[i];
    if (typeof e !== 'number' || e !== (e << 16) >> 16) return false;
  }
  return true;
}
export function allU32(a: unknown, n: number): boolean {
  if (!Array.isArray(a) || a.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const e: unknown = a[i];
    if (typeof e !== 'number' || e !== e >>> 0) return false;
  }
  return true;
}
export function allS32(a: unknown, n: number): boolean {
  if (!Array.isArray(a) || a.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const e: unknown = a[i];
    if (typeof e !== 'number' || e !== (e | 0)) return false;
  }
  return true;
}
export function allU64(a: unknown, n: number): boolean {
  if (!Array.isArray(a) || a.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const e: unknown = a[i];
    if (typeof e !== 'bigint' || e !== BigInt.asUintN(64, e)) return false;
  }
  return true;
}
export function allS64(a: unknown, n: number): boolean {
  if (!Array.isArray(a) || a.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const e: unknown = a[i];
    if (typeof e !== 'bigint' || e !== BigInt.asIntN(64, e)) return false;
  }
  return true;
}

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Writes the `a.length` checked elements of `bytes` bytes each at `o` of `d` in byte order `le`, all at once when the
 * host's byte order is the layout's and the place is aligned for a typed array of them (else one store each). The
 * encoder has checked its room already: a typed array over `d.buffer` is bounded by the buffer, not by `d`.
 */
export function putAll(d: DataView, o: number, a: readonly number[] | readonly bigint[], bytes: 1 | 2 | 4 | 8, le: boolean): void {
  const at = d.byteOffset + o;
  if (bytes === 1) {
    new Uint8Array(d.buffer, at, a.length).set(a as readonly number[]);
  } else if (le === HOST_LITTLE && at % bytes === 0) {
    if (bytes === 2) new Uint16Array(d.buffer, at, a.length).set(a as readonly number[]);
    else if (bytes === 4) new Uint32Array(d.buffer, at, a.length).set(a as readonly number[]);
    else new BigUint64Array(d.buffer, at, a.length).set(a as readonly bigint[]);
  } else {
    for (let i = 0; i < a.length; i++) {
      if (bytes === 2) d.setUint16(o + 2 * i, a[i] as number, le);
      else if (bytes === 4) d.setUint32(o + 4 * i, a[i] as number, le);
      else d.setBigUint64(o + 8 * i, a[i] as bigint, le);
    }
  }
}
