/// <reference lib="esnext.disposable" preserve="true" />
// An eventfd(2): the counter a kernel driver increments to signal an interrupt (VFIO_DEVICE_SET_IRQS,
// KVM_IRQFD, ...), awaited without blocking the event loop: the blocking read(2) runs on libuv's thread pool.
import { endianness } from 'node:os';
import { read } from 'node:fs';
import { fail } from './error.js';
import { c, EFD_CLOEXEC, errno } from './libc.js';

const HOST_LE = endianness() === 'LE';

/** An eventfd's counter as `wait` reads it: the number of signals (or the sum of values written) since the last. */
export type EventCount = bigint;

/**
 * An eventfd, owned: give `fd` to the kernel, `await wait()` for its signal. `close()` (or `using`) closes it; a
 * wait still pending then rejects, and the descriptor is closed once the read it was blocked in has returned.
 */
export class EventFd {
  #fd: number;
  #waiting: Promise<EventCount> | null = null;
  #closing = false;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** A new eventfd (close-on-exec, blocking) whose counter starts at `initial`. */
  static create(initial = 0): EventFd {
    if (!Number.isInteger(initial) || initial < 0 || initial > 0xffffffff) {
      throw new RangeError(`EventFd.create: initial must be a 32-bit unsigned integer, got ${initial}`);
    }
    const fd = c.eventfd(initial, EFD_CLOEXEC) as number;
    if (fd < 0) fail('eventfd', errno());
    return new EventFd(fd);
  }

  /** The descriptor, for the kernel (e.g. the `data` of VFIO_DEVICE_SET_IRQS); an error once closed. */
  get fd(): number {
    if (this.#fd < 0 || this.#closing) throw new Error('EventFd: the handle is closed');
    return this.#fd;
  }

  get closed(): boolean {
    return this.#fd < 0 || this.#closing;
  }

  /** Adds `n` (1 to 2^64 - 2) to the counter, as the kernel does when it signals: a pending `wait` resolves. */
  signal(n: bigint | number = 1n): void {
    const v = BigInt(n);
    if (v < 1n || v > 0xfffffffffffffffen) throw new RangeError(`EventFd.signal: expected 1 to 2^64 - 2, got ${String(n)}`);
    this.#write(v, 'eventfd write');
  }

  #write(v: bigint, what: string): void {
    const b = new Uint8Array(new ArrayBuffer(8));
    // The counter is a uint64_t in the host's byte order (eventfd(2)).
    new DataView(b.buffer).setBigUint64(0, v, HOST_LE);
    if ((c.write(this.fd, b, 8) as number) !== 8) fail(what, errno());
  }

  /**
   * Resolves with the counter once it is non-zero and resets it to 0 (read(2) of the eventfd), on libuv's thread
   * pool, so timers and I/O go on meanwhile. One wait at a time: a second call while one is pending gets the same
   * promise. Rejects if the eventfd is closed while waiting.
   */
  wait(): Promise<EventCount> {
    if (this.#waiting) return this.#waiting;
    const fd = this.fd;
    const buffer = Buffer.alloc(8);
    this.#waiting = new Promise<EventCount>((resolve, reject) => {
      read(fd, buffer, 0, 8, null, (err, n) => {
        this.#waiting = null;
        if (this.#closing) {
          this.#release();
          reject(new Error('EventFd: closed while waiting'));
        } else if (err) reject(err);
        else if (n !== 8) reject(new Error(`EventFd: read returned ${n} bytes, not 8`));
        else resolve(HOST_LE ? buffer.readBigUInt64LE(0) : buffer.readBigUInt64BE(0));
      });
    });
    return this.#waiting;
  }

  /** Closes the eventfd; a pending wait is woken (with a write of 1) and rejects. Closing twice does nothing. */
  close(): void {
    if (this.#fd < 0 || this.#closing) return;
    if (this.#waiting) {
      // close(2) would not wake the read blocked on a pool thread: a write does, and the read's callback closes.
      this.#write(1n, 'eventfd write (waking a pending wait)');
      this.#closing = true;
      return;
    }
    this.#release();
  }

  #release(): void {
    const fd = this.#fd;
    this.#fd = -1;
    this.#closing = false;
    if (fd >= 0 && (c.close(fd) as number) < 0) fail('close', errno());
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
