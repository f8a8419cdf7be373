// sharedRecord: a record the kernel shares through mmap, viewed in place. Checked on a file mapped shared (what a
// vCPU's kvm_run is to KVM): bytes written to the file at the offsets gcc gives struct kvm_run (the conformance
// tests check the codec's `fields` against gcc) are what the view reads, its nested views and byte views are made
// once, and `window` gives the same array while the offset and length stay the same.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedRecord } from '@uapi-ts/runtime';
import { KvmRun, KvmRunIo, KvmRunMmio } from '../../generated/kvm/src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-shared-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIZE = 3 * 4096; // what KVM_GET_VCPU_MMAP_SIZE gave in the kvm guest

function regionFile(): number {
  const fd = openSync(join(dir, `run-${Math.random()}`), 'w+');
  writeSync(fd, new Uint8Array(SIZE));
  return fd;
}

function put(fd: number, at: number, bytes: number[]): void {
  writeSync(fd, Uint8Array.from(bytes), 0, bytes.length, at);
}

describe('sharedRecord', () => {
  it('reads what is written to the mapped file, nested members in place, views made once', () => {
    const fd = regionFile();
    using run = sharedRecord(fd, KvmRun, SIZE, { io: KvmRunIo, mmio: KvmRunMmio });
    const io = run.view.io;
    const data = run.view.mmio.data;
    const padding = run.view.padding1;
    put(fd, KvmRun.fields.exit_reason.offset, [2, 0, 0, 0]); // KVM_EXIT_IO
    const ioAt = KvmRun.fields.io.offset;
    put(fd, ioAt + KvmRunIo.fields.port.offset, [0xf8, 0x03]);
    put(fd, ioAt + KvmRunIo.fields.size.offset, [1]);
    put(fd, ioAt + KvmRunIo.fields.count.offset, [3, 0, 0, 0]);
    put(fd, ioAt + KvmRunIo.fields.data_offset.offset, [0, 0x10, 0, 0, 0, 0, 0, 0]);
    put(fd, 0x1000, [7, 8, 9]);
    expect(run.view.exit_reason).toBe(2);
    expect([io.port, io.size, io.count, io.data_offset]).toEqual([0x3f8, 1, 3, 0x1000n]);
    const w = run.window(io.data_offset, io.size * io.count);
    expect([...w]).toEqual([7, 8, 9]);
    expect(run.window(0x1000, 3)).toBe(w);
    expect(run.windowAt(io, 'data_offset', 3)).toBe(w); // the offset read without a bigint, the same window
    expect(() => run.windowAt(io, 'port', 3)).toThrow(TypeError);
    expect(() => run.windowAt({}, 'data_offset', 3)).toThrow(TypeError);
    put(fd, KvmRun.fields.mmio.offset + KvmRunMmio.fields.data.offset, [0x41]);
    expect(run.view.mmio.data[0]).toBe(0x41);
    expect(run.view.io).toBe(io);
    expect(run.view.mmio.data).toBe(data);
    expect(run.view.padding1).toBe(padding);
    data[1] = 0x42; // a write through the view reaches the file's bytes, as the kernel reads them
    expect(run.bytes[KvmRun.fields.mmio.offset + KvmRunMmio.fields.data.offset + 1]).toBe(0x42);
    closeSync(fd);
  });

  it('refuses a region smaller than the record and a window outside it', () => {
    const fd = regionFile();
    expect(() => sharedRecord(fd, KvmRun, KvmRun.size - 1, {})).toThrow(/cannot hold its 2352 bytes/);
    using run = sharedRecord(fd, KvmRun, SIZE, {});
    expect(() => run.window(SIZE - 2, 3)).toThrow(RangeError);
    expect(() => run.window(-1, 1)).toThrow(RangeError);
    closeSync(fd);
  });
});
