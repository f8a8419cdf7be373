// Nested records an encoder writes inline (generator/src/emit/inline-records.ts) and the runtime's slow path for them
// (`record`, `records`): struct kvm_pit_state2 holds `struct kvm_pit_channel_state channels[3]`, struct
// kvm_vcpu_events anonymous structs of integers. Offsets are the codecs' `fields` (checked against gcc by the
// conformance tests); what an omitted field is (0) is the records banner's contract.
import { describe, expect, it } from 'vitest';
import { KvmPitChannelState, KvmPitState2, KvmVcpuEvents } from '../../generated/kvm/src/index.js';
import { thrown } from '../thrown.js';

const channel = (n: number) => ({
  count: n, latched_count: 2, count_latched: 3, status_latched: 4, status: 5, read_state: 6, write_state: 7,
  write_latch: 8, rw_mode: 9, mode: 10, bcd: 11, gate: 12, count_load_time: BigInt(n) << 40n,
});

describe('a nested record written inline', () => {
  it('writes each element where its own codec would', () => {
    const channels = [channel(1), channel(2), channel(3)];
    const bytes = KvmPitState2.encode({ channels, flags: 0x55 });
    const at = KvmPitState2.fields.channels.offset;
    channels.forEach((c, i) => {
      const one = KvmPitChannelState.encode(c);
      expect(bytes.subarray(at + i * KvmPitChannelState.size, at + (i + 1) * KvmPitChannelState.size)).toEqual(one);
    });
    expect(KvmPitState2.decode(bytes).channels).toEqual(channels.map((c) => KvmPitChannelState.decode(KvmPitChannelState.encode(c))));
  });

  it('takes numbers for 64-bit fields and omitted fields as 0, through the slow path', () => {
    const given = KvmPitState2.encode({ channels: [{ count_load_time: 7 }, {}, { count: 1 }] });
    const decoded = KvmPitState2.decode(given).channels;
    expect(decoded[0]!.count_load_time).toBe(7n);
    expect(decoded[1]).toEqual(KvmPitChannelState.decode(new Uint8Array(KvmPitChannelState.size)));
    expect(decoded[2]!.count).toBe(1);
    // An omitted array of records is all zeros, as an omitted record is.
    expect(KvmPitState2.encode({})).toEqual(new Uint8Array(KvmPitState2.size));
    expect(KvmVcpuEvents.encode({ sipi_vector: 1 }).subarray(0, 8)).toEqual(new Uint8Array(8));
  });

  it('refuses a bad nested value naming its place, before writing any byte', () => {
    const cases: [unknown, ErrorConstructor, string][] = [
      [{ channels: [channel(1), channel(2)] }, RangeError, 'kvm_pit_state2.channels: expected 3 elements, got 2'],
      [{ channels: 'abc' }, TypeError, 'kvm_pit_state2.channels: expected an array of 3 elements'],
      // A hole, or an element that is no object, is not an omitted record.
      [{ channels: [channel(1), undefined, channel(3)] }, TypeError, 'kvm_pit_state2.channels[1]: expected an object'],
      [{ channels: [channel(1), channel(2), null] }, TypeError, 'kvm_pit_state2.channels[2]: expected an object'],
      [{ channels: [channel(1), [], channel(3)] }, TypeError, 'kvm_pit_state2.channels[1]: expected an object'],
      [{ channels: [channel(1), { ...channel(2), mode: 256 }, channel(3)] }, RangeError, 'kvm_pit_state2.channels[1].mode:'],
      [{ channels: [channel(1), channel(2), { ...channel(3), count_load_time: 1.5 }] }, TypeError, 'kvm_pit_state2.channels[2].count_load_time:'],
      [{ exception: { nr: -1 } }, RangeError, 'kvm_vcpu_events.exception.nr:'],
      [{ nmi: 5 }, TypeError, 'kvm_vcpu_events.nmi: expected an object'],
    ];
    for (const [value, error, message] of cases) {
      const codec = 'channels' in (value as object) ? KvmPitState2 : KvmVcpuEvents;
      const buf = new Uint8Array(codec.size + 8).fill(0xa5);
      const e = thrown(() => codec.encode(value as never, buf, 4));
      expect(e, message).toBeInstanceOf(error);
      expect((e as Error).message).toContain(message);
      expect(buf.every((b) => b === 0xa5), message).toBe(true);
    }
  });
});
