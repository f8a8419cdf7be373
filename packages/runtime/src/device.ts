/// <reference lib="esnext.disposable" preserve="true" />
// Device handles and the call forms of the generated methods: an ioctl that returns 0, a value (a count) or a
// new file descriptor; its `try` form, which returns the errno instead of throwing; and prepared calls.
import { allowBuffers, pinnedOf, restoreBuffers, type Pinned } from './codec.js';
import { fail, ioctlError, type ErrnoMeanings, type IoctlError } from './error.js';
import { hostWordBytes } from './host.js';
import { addressOf, c, errno, O_CLOEXEC, O_RDWR } from './libc.js';

/** `ioctl(fd, request, address)`: 0, or the errno of a failure, read at once, before anything can change it. */
function ioctlAt(fd: number, request: number, address: number): number {
  return c.ioctlAt(fd, request, address) < 0 ? errno() : 0;
}

/** `ioctl(fd, request, arg)`: what the kernel returned (>= 0), or minus the errno of a failure. */
function ioctlReturning(fd: number, request: number, arg: number | bigint): number {
  const r = c.ioctlAt(fd, request, arg) as number;
  return r < 0 ? -errno() : r;
}

/**
 * A buffer for an argument struct that is passed by address: an explicit ArrayBuffer, whose memory is outside
 * V8's heap and never moves while it lives (a small `new Uint8Array(n)` may live inside the heap, which moves
 * objects). The address is kept as a number, exact below 2^53: user-space addresses are below 2^32 on i386 and
 * arm, and below 2^47 to 2^52 on the 64-bit ABIs unless a program maps higher on purpose (arm64's 52-bit and
 * RISC-V's 57-bit spaces, s390x's 5-level tables), which is checked rather than assumed.
 */
function argumentBuffer(size: number): { readonly bytes: Uint8Array; readonly view: DataView; readonly address: number } {
  const bytes = new Uint8Array(new ArrayBuffer(Math.max(8, size)));
  const address = addressOf(bytes);
  if (address > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`an argument buffer at 0x${address.toString(16)} is above 2^53, where a number is not exact`);
  return { bytes, view: new DataView(bytes.buffer), address: Number(address) };
}

/** The bits of the host's `unsigned long`, the width of an ioctl argument passed by value. */
const WORD_BITS = hostWordBytes() * 8;

/**
 * An ioctl argument passed by value (a C int or unsigned long): checked, since koffi would wrap it silently;
 * a negative one is passed in two's complement of the host's word.
 */
export function byValue(arg: number | bigint, name: string, wordBits: number = WORD_BITS): number | bigint {
  const ok = typeof arg === 'bigint'
    ? BigInt.asUintN(wordBits, arg) === arg || BigInt.asIntN(wordBits, arg) === arg
    : Number.isSafeInteger(arg) && (wordBits === 64 || (arg >= -(2 ** (wordBits - 1)) && arg < 2 ** wordBits));
  if (!ok) throw new RangeError(`${name}: the argument ${String(arg)} is not a ${wordBits}-bit integer`);
  return typeof arg === 'bigint' ? BigInt.asUintN(wordBits, arg) : arg < 0 ? BigInt.asUintN(wordBits, BigInt(arg)) : arg;
}

/** A raw ioctl's argument: a caller-encoded struct, passed by address, or an integer passed by value. */
export type RawArgument = Uint8Array | number | bigint | null;

/** An open device node and its ioctls; generated classes add one method per ioctl. */
export class IoctlDevice {
  #fd: number;
  readonly #owned: boolean;
  /** Where argument structs are encoded: one buffer per handle, as large as the largest argument. */
  readonly #buffer: Uint8Array;
  readonly #view: DataView;
  readonly #address: number;

  protected constructor(fd: number, owned: boolean, argSize: number) {
    // A C int: koffi would pass 2^32 + 3 as descriptor 3, some other open file.
    if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) throw new RangeError(`invalid file descriptor ${String(fd)}`);
    this.#fd = fd;
    this.#owned = owned;
    const b = argumentBuffer(argSize);
    this.#buffer = b.bytes;
    this.#view = b.view;
    this.#address = b.address;
  }

  /** Opens `path` read-write (close-on-exec) and returns the file descriptor. */
  protected static openPath(path: string): number {
    // The C string ends at a NUL byte: '/dev/null\0x' would open /dev/null.
    if (typeof path !== 'string' || path.includes('\0')) throw new TypeError(`open: expected a path without NUL bytes, got ${typeof path === 'string' ? JSON.stringify(path) : typeof path}`);
    const fd = c.open(path, O_RDWR | O_CLOEXEC, 0);
    if (fd < 0) fail(`open ${path}`, errno());
    return fd;
  }

  /** The file descriptor; an error once closed. */
  get fd(): number {
    if (this.#fd < 0) throw new Error(`${this.constructor.name}: the handle is closed`);
    return this.#fd;
  }

  get closed(): boolean {
    return this.#fd < 0;
  }

  /** Closes the descriptor (if this handle opened it). Closing twice does nothing. */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    if (this.#owned && c.close(fd) < 0) fail('close', errno());
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** The argument buffer, ready to encode into; an error if the handle is closed. */
  protected args(): DataView {
    if (this.#fd < 0) throw new Error(`${this.constructor.name}: the handle is closed`);
    return this.#view;
  }

  /**
   * Encodes `args` into the argument buffer with `encode` and returns the buffer. Typed arrays are taken in
   * pointer fields here: the call that follows keeps them alive, and in place, until the kernel returns.
   */
  protected encodeArgs<A>(encode: (args: A, d: DataView) => unknown, args: A): DataView {
    const d = this.args();
    const outer = allowBuffers(addressOf);
    try {
      encode(args, d);
    } finally {
      restoreBuffers(outer);
    }
    return d;
  }

  /**
   * Issues the ioctl on the argument buffer (or at `address`: an argument too large for it, a struct and its
   * flexible array, in memory that cannot move): 0, or the errno of a failure.
   */
  protected call(request: number, address = this.#address): number {
    return ioctlAt(this.#fd, request, address);
  }

  /** Issues the ioctl on the argument buffer: what the kernel returned (a count, a descriptor), or minus the errno. */
  protected callValue(request: number, address = this.#address): number {
    return ioctlReturning(this.#fd, request, address);
  }

  /**
   * Issues an ioctl that takes no argument, passing 0 (not the argument buffer's address: KVM_RUN refuses any other
   * with EINVAL): what the kernel returned, or minus the errno. No check of a value: KVM_RUN is called per guest exit.
   */
  protected callNone(request: number): number {
    return ioctlReturning(this.fd, request, 0);
  }

  /** Issues the ioctl with `arg` passed by value: what the kernel returned, or minus the errno. */
  protected callWith(request: number, arg: number | bigint, name: string): number {
    return ioctlReturning(this.fd, request, byValue(arg, name));
  }

  /** A new descriptor the kernel returned, in a handle that closes it. */
  protected wrapFd(fd: number): FdHandle {
    return FdHandle.adopt(fd);
  }

  /** The IoctlError for a failed call, with a copy of the first `size` bytes of the argument as the kernel left them. */
  protected failure(errno: number, name: string, meanings: ErrnoMeanings, size = 0): IoctlError {
    return ioctlError(errno, name, meanings, size > 0 ? this.#buffer.slice(0, size) : null);
  }

  /** A prepared call of this handle's ioctl `request` (the generated `prepare` methods). */
  protected prepare<T, A>(
    request: number,
    name: string,
    meanings: ErrnoMeanings,
    size: number,
    encode: (args: A, d: DataView) => A,
    decode: (d: DataView, o: number) => T,
    args: A,
  ): PreparedCall<T, A> {
    this.args(); // a closed handle is an error here already
    return new PreparedCall(this, { request, name, meanings, size, encode, decode }, args);
  }

  /**
   * Issues any ioctl (for tests and ioctls this package does not know) and returns what the kernel returned:
   * `arg` is a caller-encoded argument passed by address, or an integer passed by value. A failure throws.
   */
  ioctlRaw(request: number, arg: RawArgument = null, name = `ioctl 0x${request.toString(16)}`): number {
    const fd = this.fd;
    const byAddress = arg === null || ArrayBuffer.isView(arg);
    const r = (byAddress ? c.ioctl(fd, request, arg) : c.ioctlAt(fd, request, byValue(arg, name))) as number;
    if (r < 0) fail(name, errno());
    return r;
  }

  /** `ioctlRaw` for an ioctl that returns a new file descriptor (KVM_CREATE_VM): a handle that closes it. */
  ioctlFd(request: number, arg: RawArgument = null, name = `ioctl 0x${request.toString(16)}`): FdHandle {
    return FdHandle.adopt(this.ioctlRaw(request, arg, name));
  }
}

/**
 * A file descriptor an ioctl returned (a VM of KVM_CREATE_VM, a device of VFIO_GROUP_GET_DEVICE_FD), owned: `close()`
 * or `using` closes it, once. Its own ioctls go through `ioctlRaw`, or a generated class's `fromFd`.
 */
export class FdHandle extends IoctlDevice {
  private constructor(fd: number, owned: boolean) {
    super(fd, owned, 8);
  }

  /** Opens `path` read-write (close-on-exec), for ioctls no generated package knows yet (`ioctlRaw`). */
  static open(path: string): FdHandle {
    return new FdHandle(IoctlDevice.openPath(path), true);
  }

  /** Takes ownership of `fd`: closing the handle closes it. */
  static adopt(fd: number): FdHandle {
    return new FdHandle(fd, true);
  }

  /** Wraps a descriptor opened elsewhere; `close()` then leaves it open. */
  static fromFd(fd: number): FdHandle {
    return new FdHandle(fd, false);
  }
}

/** Every Memory in prepared arguments (nested structs and arrays included; typed arrays are leaves). */
function memoriesIn(x: unknown, found: Pinned[] = [], seen: Set<object> | null = null): Pinned[] {
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x)) return found;
  const m = pinnedOf(x);
  if (m) {
    found.push(m);
    return found;
  }
  // Object.keys and a Set made only once there is something to descend into: arguments of numbers and bigints,
  // the usual kind, cost a few ns (Object.values and a Set per call made set() slower than a whole call).
  const keys = Object.keys(x);
  for (let i = 0; i < keys.length; i++) {
    const v = (x as Record<string, unknown>)[keys[i]!];
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) continue;
    seen ??= new Set([x]); // arguments may hold anything besides their fields, cycles too
    if (seen.has(v)) continue;
    seen.add(v);
    memoriesIn(v, found, seen);
  }
  return found;
}

/** What a prepared call needs to know about its ioctl; the generated `prepare` methods supply it. */
interface PreparedIoctl<T, A> {
  readonly request: number;
  readonly name: string;
  readonly meanings: ErrnoMeanings;
  readonly size: number;
  /** Encodes the arguments (all checks first); returns them as encoded, naming the buffers the call uses. */
  readonly encode: (args: A, d: DataView) => A;
  readonly decode: (d: DataView, o: number) => T;
}

/**
 * An ioctl whose argument is encoded once into a buffer of its own, to be made again and again with no encoding
 * or decoding per call: `run()` (or `tryRun()`, which returns the errno), then `result()` to decode what the
 * kernel wrote, or read single fields from `view` at the offsets the struct's `fields` give. Made by the
 * generated `prepare` methods (`prepareIoasMap`).
 */
export class PreparedCall<T, A> {
  /** The argument struct: as it is passed, and after a call as the kernel left it. */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly #address: number;
  readonly #device: IoctlDevice;
  readonly #ioctl: PreparedIoctl<T, A>;
  /** The arguments as encoded: they hold the buffers whose addresses are in `bytes`, so those stay alive. */
  #kept: A;
  /** The Memory objects among them: a closed one no longer owns its pages, so the call must not pass them on. */
  #memories: readonly Pinned[] = [];

  constructor(device: IoctlDevice, ioctl: PreparedIoctl<T, A>, args: A) {
    this.#device = device;
    this.#ioctl = ioctl;
    const b = argumentBuffer(ioctl.size);
    this.bytes = b.bytes;
    this.view = b.view;
    this.#address = b.address;
    this.#kept = this.#encode(args);
    this.#memories = memoriesIn(this.#kept);
  }

  /** Encodes new arguments; if they are refused, the call keeps its previous ones, byte for byte. */
  set(args: A): void {
    this.#kept = this.#encode(args);
    this.#memories = memoriesIn(this.#kept);
  }

  /** Where new arguments are encoded before they replace `bytes` (so a refused set leaves them); made once. */
  #scratch: { readonly bytes: Uint8Array; readonly view: DataView } | null = null;

  #encode(args: A): A {
    // Not a fresh buffer per set(): a small typed array's `.buffer` is moved out of V8's heap on first use,
    // which made set() cost five times a whole method call.
    const scratch = (this.#scratch ??= argumentBuffer(this.#ioctl.size));
    // Typed arrays are taken: the copy of the arguments kept below holds them, in place, as long as this call.
    const outer = allowBuffers(addressOf);
    let kept: A;
    try {
      kept = this.#ioctl.encode(args, scratch.view);
    } finally {
      restoreBuffers(outer);
    }
    this.bytes.set(scratch.bytes);
    // A copy: the caller may reuse its object; what it names is what the encoded addresses point at.
    return (typeof kept === 'object' && kept !== null ? { ...kept } : kept);
  }

  /** Makes the call: 0, or the errno of a failure. A closed handle throws. */
  tryRun(): number {
    for (const m of this.#memories) if (m.closed) throw new TypeError(`${this.#ioctl.name}: a Memory the prepared arguments point into is closed`);
    return ioctlAt(this.#device.fd, this.#ioctl.request, this.#address);
  }

  /** Makes the call; a failure throws IoctlError (with a copy of the argument as the kernel left it). */
  run(): void {
    const errno = this.tryRun();
    if (errno !== 0) throw ioctlError(errno, this.#ioctl.name, this.#ioctl.meanings, this.bytes.slice(0, this.#ioctl.size));
  }

  /** The arguments as last encoded (a copy; what they name stays alive as long as this call). */
  get args(): A {
    return this.#kept;
  }

  /** Decodes the argument struct as it is now (after a call: what the kernel wrote back). */
  result(): T {
    return this.#ioctl.decode(this.view, 0);
  }
}
