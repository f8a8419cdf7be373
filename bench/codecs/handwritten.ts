// Hand-written straight-line DataView codecs for every struct of headers/v7.3/linux/iommufd.h: the speed limit
// the generated codecs are benchmarked against. Written from the C header and x86-64 layout (offsets in the
// comments), not from the generated code. No validation at all, on purpose: a value is assumed to have the
// right types (64-bit fields as bigint only, a present array at full length); omitted fields and `__reserved*`
// fields are written as 0, so every byte of the struct is written. Decoders return the same shape as the
// generated ones. test/bench-handwritten.test.ts checks all of this against gcc.

export interface HandCodec {
  readonly size: number;
  /** Writes all `size` bytes at offset `o`. */
  encode(v: any, d: DataView, o: number): void;
  /** Returns a fresh plain object. */
  decode(d: DataView, o: number): object;
}

// Stand-ins for an omitted array, so that the writes below stay straight-line (long enough for every array here).
const NO_U64: readonly bigint[] = [0n, 0n, 0n, 0n];
const NO_U32: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0];

// struct iommu_destroy: 8 bytes
const iommu_destroy: HandCodec = {
  size: 8,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.id ?? 0, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      id: d.getUint32(o + 4, true),
    };
  },
};

// struct iommu_ioas_alloc: 12 bytes
const iommu_ioas_alloc: HandCodec = {
  size: 12,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.out_ioas_id ?? 0, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      out_ioas_id: d.getUint32(o + 8, true),
    };
  },
};

// struct iommu_iova_range: 16 bytes
const iommu_iova_range: HandCodec = {
  size: 16,
  encode(v, d, o) {
    d.setBigUint64(o, v.start ?? 0n, true);
    d.setBigUint64(o + 8, v.last ?? 0n, true);
  },
  decode(d, o) {
    return {
      start: d.getBigUint64(o, true),
      last: d.getBigUint64(o + 8, true),
    };
  },
};

// struct iommu_ioas_iova_ranges: 32 bytes
const iommu_ioas_iova_ranges: HandCodec = {
  size: 32,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.ioas_id ?? 0, true);
    d.setUint32(o + 8, v.num_iovas ?? 0, true);
    d.setUint32(o + 12, 0, true); // __reserved
    d.setBigUint64(o + 16, v.allowed_iovas ?? 0n, true);
    d.setBigUint64(o + 24, v.out_iova_alignment ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      ioas_id: d.getUint32(o + 4, true),
      num_iovas: d.getUint32(o + 8, true),
      __reserved: d.getUint32(o + 12, true),
      allowed_iovas: d.getBigUint64(o + 16, true),
      out_iova_alignment: d.getBigUint64(o + 24, true),
    };
  },
};

// struct iommu_ioas_allow_iovas: 24 bytes
const iommu_ioas_allow_iovas: HandCodec = {
  size: 24,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.ioas_id ?? 0, true);
    d.setUint32(o + 8, v.num_iovas ?? 0, true);
    d.setUint32(o + 12, 0, true); // __reserved
    d.setBigUint64(o + 16, v.allowed_iovas ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      ioas_id: d.getUint32(o + 4, true),
      num_iovas: d.getUint32(o + 8, true),
      __reserved: d.getUint32(o + 12, true),
      allowed_iovas: d.getBigUint64(o + 16, true),
    };
  },
};

// struct iommu_ioas_map: 40 bytes
const iommu_ioas_map: HandCodec = {
  size: 40,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.ioas_id ?? 0, true);
    d.setUint32(o + 12, 0, true); // __reserved
    d.setBigUint64(o + 16, v.user_va ?? 0n, true);
    d.setBigUint64(o + 24, v.length ?? 0n, true);
    d.setBigUint64(o + 32, v.iova ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      ioas_id: d.getUint32(o + 8, true),
      __reserved: d.getUint32(o + 12, true),
      user_va: d.getBigUint64(o + 16, true),
      length: d.getBigUint64(o + 24, true),
      iova: d.getBigUint64(o + 32, true),
    };
  },
};

// struct iommu_ioas_noiommu_get_pa: 40 bytes
const iommu_ioas_noiommu_get_pa: HandCodec = {
  size: 40,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.ioas_id ?? 0, true);
    d.setUint32(o + 12, 0, true); // __reserved
    d.setBigUint64(o + 16, v.iova ?? 0n, true);
    d.setBigUint64(o + 24, v.length ?? 0n, true);
    d.setBigUint64(o + 32, v.out_phys ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      ioas_id: d.getUint32(o + 8, true),
      __reserved: d.getUint32(o + 12, true),
      iova: d.getBigUint64(o + 16, true),
      length: d.getBigUint64(o + 24, true),
      out_phys: d.getBigUint64(o + 32, true),
    };
  },
};

// struct iommu_ioas_map_file: 40 bytes; fd is the one signed field of the header
const iommu_ioas_map_file: HandCodec = {
  size: 40,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.ioas_id ?? 0, true);
    d.setInt32(o + 12, v.fd ?? 0, true);
    d.setBigUint64(o + 16, v.start ?? 0n, true);
    d.setBigUint64(o + 24, v.length ?? 0n, true);
    d.setBigUint64(o + 32, v.iova ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      ioas_id: d.getUint32(o + 8, true),
      fd: d.getInt32(o + 12, true),
      start: d.getBigUint64(o + 16, true),
      length: d.getBigUint64(o + 24, true),
      iova: d.getBigUint64(o + 32, true),
    };
  },
};

// struct iommu_ioas_copy: 40 bytes
const iommu_ioas_copy: HandCodec = {
  size: 40,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.dst_ioas_id ?? 0, true);
    d.setUint32(o + 12, v.src_ioas_id ?? 0, true);
    d.setBigUint64(o + 16, v.length ?? 0n, true);
    d.setBigUint64(o + 24, v.dst_iova ?? 0n, true);
    d.setBigUint64(o + 32, v.src_iova ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      dst_ioas_id: d.getUint32(o + 8, true),
      src_ioas_id: d.getUint32(o + 12, true),
      length: d.getBigUint64(o + 16, true),
      dst_iova: d.getBigUint64(o + 24, true),
      src_iova: d.getBigUint64(o + 32, true),
    };
  },
};

// struct iommu_ioas_unmap: 24 bytes
const iommu_ioas_unmap: HandCodec = {
  size: 24,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.ioas_id ?? 0, true);
    d.setBigUint64(o + 8, v.iova ?? 0n, true);
    d.setBigUint64(o + 16, v.length ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      ioas_id: d.getUint32(o + 4, true),
      iova: d.getBigUint64(o + 8, true),
      length: d.getBigUint64(o + 16, true),
    };
  },
};

// struct iommu_option: 24 bytes
const iommu_option: HandCodec = {
  size: 24,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.option_id ?? 0, true);
    d.setUint16(o + 8, v.op ?? 0, true);
    d.setUint16(o + 10, 0, true); // __reserved
    d.setUint32(o + 12, v.object_id ?? 0, true);
    d.setBigUint64(o + 16, v.val64 ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      option_id: d.getUint32(o + 4, true),
      op: d.getUint16(o + 8, true),
      __reserved: d.getUint16(o + 10, true),
      object_id: d.getUint32(o + 12, true),
      val64: d.getBigUint64(o + 16, true),
    };
  },
};

// struct iommu_vfio_ioas: 12 bytes
const iommu_vfio_ioas: HandCodec = {
  size: 12,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.ioas_id ?? 0, true);
    d.setUint16(o + 8, v.op ?? 0, true);
    d.setUint16(o + 10, 0, true); // __reserved
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      ioas_id: d.getUint32(o + 4, true),
      op: d.getUint16(o + 8, true),
      __reserved: d.getUint16(o + 10, true),
    };
  },
};

// struct iommu_hwpt_vtd_s1: 24 bytes
const iommu_hwpt_vtd_s1: HandCodec = {
  size: 24,
  encode(v, d, o) {
    d.setBigUint64(o, v.flags ?? 0n, true);
    d.setBigUint64(o + 8, v.pgtbl_addr ?? 0n, true);
    d.setUint32(o + 16, v.addr_width ?? 0, true);
    d.setUint32(o + 20, 0, true); // __reserved
  },
  decode(d, o) {
    return {
      flags: d.getBigUint64(o, true),
      pgtbl_addr: d.getBigUint64(o + 8, true),
      addr_width: d.getUint32(o + 16, true),
      __reserved: d.getUint32(o + 20, true),
    };
  },
};

// struct iommu_hwpt_arm_smmuv3: 16 bytes, __aligned_le64 ste[2]
const iommu_hwpt_arm_smmuv3: HandCodec = {
  size: 16,
  encode(v, d, o) {
    const a = v.ste ?? NO_U64;
    d.setBigUint64(o, a[0], true);
    d.setBigUint64(o + 8, a[1], true);
  },
  decode(d, o) {
    return {
      ste: [d.getBigUint64(o, true), d.getBigUint64(o + 8, true)],
    };
  },
};

// struct iommu_hwpt_amd_guest: 32 bytes, __aligned_u64 dte[4]
const iommu_hwpt_amd_guest: HandCodec = {
  size: 32,
  encode(v, d, o) {
    const a = v.dte ?? NO_U64;
    d.setBigUint64(o, a[0], true);
    d.setBigUint64(o + 8, a[1], true);
    d.setBigUint64(o + 16, a[2], true);
    d.setBigUint64(o + 24, a[3], true);
  },
  decode(d, o) {
    return {
      dte: [d.getBigUint64(o, true), d.getBigUint64(o + 8, true), d.getBigUint64(o + 16, true), d.getBigUint64(o + 24, true)],
    };
  },
};

// struct iommu_hwpt_alloc: 48 bytes
const iommu_hwpt_alloc: HandCodec = {
  size: 48,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.dev_id ?? 0, true);
    d.setUint32(o + 12, v.pt_id ?? 0, true);
    d.setUint32(o + 16, v.out_hwpt_id ?? 0, true);
    d.setUint32(o + 20, 0, true); // __reserved
    d.setUint32(o + 24, v.data_type ?? 0, true);
    d.setUint32(o + 28, v.data_len ?? 0, true);
    d.setBigUint64(o + 32, v.data_uptr ?? 0n, true);
    d.setUint32(o + 40, v.fault_id ?? 0, true);
    d.setUint32(o + 44, 0, true); // __reserved2
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      dev_id: d.getUint32(o + 8, true),
      pt_id: d.getUint32(o + 12, true),
      out_hwpt_id: d.getUint32(o + 16, true),
      __reserved: d.getUint32(o + 20, true),
      data_type: d.getUint32(o + 24, true),
      data_len: d.getUint32(o + 28, true),
      data_uptr: d.getBigUint64(o + 32, true),
      fault_id: d.getUint32(o + 40, true),
      __reserved2: d.getUint32(o + 44, true),
    };
  },
};

// struct iommu_hw_info_vtd: 24 bytes
const iommu_hw_info_vtd: HandCodec = {
  size: 24,
  encode(v, d, o) {
    d.setUint32(o, v.flags ?? 0, true);
    d.setUint32(o + 4, 0, true); // __reserved
    d.setBigUint64(o + 8, v.cap_reg ?? 0n, true);
    d.setBigUint64(o + 16, v.ecap_reg ?? 0n, true);
  },
  decode(d, o) {
    return {
      flags: d.getUint32(o, true),
      __reserved: d.getUint32(o + 4, true),
      cap_reg: d.getBigUint64(o + 8, true),
      ecap_reg: d.getBigUint64(o + 16, true),
    };
  },
};

// struct iommu_hw_info_arm_smmuv3: 40 bytes, __u32 idr[6] at 8
const iommu_hw_info_arm_smmuv3: HandCodec = {
  size: 40,
  encode(v, d, o) {
    d.setUint32(o, v.flags ?? 0, true);
    d.setUint32(o + 4, 0, true); // __reserved
    const a = v.idr ?? NO_U32;
    d.setUint32(o + 8, a[0], true);
    d.setUint32(o + 12, a[1], true);
    d.setUint32(o + 16, a[2], true);
    d.setUint32(o + 20, a[3], true);
    d.setUint32(o + 24, a[4], true);
    d.setUint32(o + 28, a[5], true);
    d.setUint32(o + 32, v.iidr ?? 0, true);
    d.setUint32(o + 36, v.aidr ?? 0, true);
  },
  decode(d, o) {
    return {
      flags: d.getUint32(o, true),
      __reserved: d.getUint32(o + 4, true),
      idr: [
        d.getUint32(o + 8, true), d.getUint32(o + 12, true), d.getUint32(o + 16, true),
        d.getUint32(o + 20, true), d.getUint32(o + 24, true), d.getUint32(o + 28, true),
      ],
      iidr: d.getUint32(o + 32, true),
      aidr: d.getUint32(o + 36, true),
    };
  },
};

// struct iommu_hw_info_tegra241_cmdqv: 8 bytes
const iommu_hw_info_tegra241_cmdqv: HandCodec = {
  size: 8,
  encode(v, d, o) {
    d.setUint32(o, v.flags ?? 0, true);
    d.setUint8(o + 4, v.version ?? 0);
    d.setUint8(o + 5, v.log2vcmdqs ?? 0);
    d.setUint8(o + 6, v.log2vsids ?? 0);
    d.setUint8(o + 7, 0); // __reserved
  },
  decode(d, o) {
    return {
      flags: d.getUint32(o, true),
      version: d.getUint8(o + 4),
      log2vcmdqs: d.getUint8(o + 5),
      log2vsids: d.getUint8(o + 6),
      __reserved: d.getUint8(o + 7),
    };
  },
};

// struct iommu_hw_info_amd: 16 bytes
const iommu_hw_info_amd: HandCodec = {
  size: 16,
  encode(v, d, o) {
    d.setBigUint64(o, v.efr ?? 0n, true);
    d.setBigUint64(o + 8, v.efr2 ?? 0n, true);
  },
  decode(d, o) {
    return {
      efr: d.getBigUint64(o, true),
      efr2: d.getBigUint64(o + 8, true),
    };
  },
};

// struct iommu_hw_info: 40 bytes; an anonymous union { in_data_type; out_data_type } at 24, members on the parent
const iommu_hw_info: HandCodec = {
  size: 40,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.dev_id ?? 0, true);
    d.setUint32(o + 12, v.data_len ?? 0, true);
    d.setBigUint64(o + 16, v.data_uptr ?? 0n, true);
    d.setUint32(o + 24, v.in_data_type ?? v.out_data_type ?? 0, true); // the union: whichever member is present
    d.setUint8(o + 28, v.out_max_pasid_log2 ?? 0);
    d.setUint8(o + 29, 0); // __reserved[3]
    d.setUint16(o + 30, 0, true);
    d.setBigUint64(o + 32, v.out_capabilities ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      dev_id: d.getUint32(o + 8, true),
      data_len: d.getUint32(o + 12, true),
      data_uptr: d.getBigUint64(o + 16, true),
      in_data_type: d.getUint32(o + 24, true),
      out_data_type: d.getUint32(o + 24, true),
      out_max_pasid_log2: d.getUint8(o + 28),
      __reserved: [d.getUint8(o + 29), d.getUint8(o + 30), d.getUint8(o + 31)],
      out_capabilities: d.getBigUint64(o + 32, true),
    };
  },
};

// struct iommu_hwpt_set_dirty_tracking: 16 bytes
const iommu_hwpt_set_dirty_tracking: HandCodec = {
  size: 16,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.hwpt_id ?? 0, true);
    d.setUint32(o + 12, 0, true); // __reserved
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      hwpt_id: d.getUint32(o + 8, true),
      __reserved: d.getUint32(o + 12, true),
    };
  },
};

// struct iommu_hwpt_get_dirty_bitmap: 48 bytes (hwpt_id comes before flags here)
const iommu_hwpt_get_dirty_bitmap: HandCodec = {
  size: 48,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.hwpt_id ?? 0, true);
    d.setUint32(o + 8, v.flags ?? 0, true);
    d.setUint32(o + 12, 0, true); // __reserved
    d.setBigUint64(o + 16, v.iova ?? 0n, true);
    d.setBigUint64(o + 24, v.length ?? 0n, true);
    d.setBigUint64(o + 32, v.page_size ?? 0n, true);
    d.setBigUint64(o + 40, v.data ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      hwpt_id: d.getUint32(o + 4, true),
      flags: d.getUint32(o + 8, true),
      __reserved: d.getUint32(o + 12, true),
      iova: d.getBigUint64(o + 16, true),
      length: d.getBigUint64(o + 24, true),
      page_size: d.getBigUint64(o + 32, true),
      data: d.getBigUint64(o + 40, true),
    };
  },
};

// struct iommu_hwpt_vtd_s1_invalidate: 24 bytes
const iommu_hwpt_vtd_s1_invalidate: HandCodec = {
  size: 24,
  encode(v, d, o) {
    d.setBigUint64(o, v.addr ?? 0n, true);
    d.setBigUint64(o + 8, v.npages ?? 0n, true);
    d.setUint32(o + 16, v.flags ?? 0, true);
    d.setUint32(o + 20, 0, true); // __reserved
  },
  decode(d, o) {
    return {
      addr: d.getBigUint64(o, true),
      npages: d.getBigUint64(o + 8, true),
      flags: d.getUint32(o + 16, true),
      __reserved: d.getUint32(o + 20, true),
    };
  },
};

// struct iommu_viommu_arm_smmuv3_invalidate: 16 bytes, __aligned_le64 cmd[2]
const iommu_viommu_arm_smmuv3_invalidate: HandCodec = {
  size: 16,
  encode(v, d, o) {
    const a = v.cmd ?? NO_U64;
    d.setBigUint64(o, a[0], true);
    d.setBigUint64(o + 8, a[1], true);
  },
  decode(d, o) {
    return {
      cmd: [d.getBigUint64(o, true), d.getBigUint64(o + 8, true)],
    };
  },
};

// struct iommu_hwpt_invalidate: 32 bytes
const iommu_hwpt_invalidate: HandCodec = {
  size: 32,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.hwpt_id ?? 0, true);
    d.setBigUint64(o + 8, v.data_uptr ?? 0n, true);
    d.setUint32(o + 16, v.data_type ?? 0, true);
    d.setUint32(o + 20, v.entry_len ?? 0, true);
    d.setUint32(o + 24, v.entry_num ?? 0, true);
    d.setUint32(o + 28, 0, true); // __reserved
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      hwpt_id: d.getUint32(o + 4, true),
      data_uptr: d.getBigUint64(o + 8, true),
      data_type: d.getUint32(o + 16, true),
      entry_len: d.getUint32(o + 20, true),
      entry_num: d.getUint32(o + 24, true),
      __reserved: d.getUint32(o + 28, true),
    };
  },
};

// struct iommu_hwpt_pgfault: 40 bytes
const iommu_hwpt_pgfault: HandCodec = {
  size: 40,
  encode(v, d, o) {
    d.setUint32(o, v.flags ?? 0, true);
    d.setUint32(o + 4, v.dev_id ?? 0, true);
    d.setUint32(o + 8, v.pasid ?? 0, true);
    d.setUint32(o + 12, v.grpid ?? 0, true);
    d.setUint32(o + 16, v.perm ?? 0, true);
    d.setUint32(o + 20, 0, true); // __reserved
    d.setBigUint64(o + 24, v.addr ?? 0n, true);
    d.setUint32(o + 32, v.length ?? 0, true);
    d.setUint32(o + 36, v.cookie ?? 0, true);
  },
  decode(d, o) {
    return {
      flags: d.getUint32(o, true),
      dev_id: d.getUint32(o + 4, true),
      pasid: d.getUint32(o + 8, true),
      grpid: d.getUint32(o + 12, true),
      perm: d.getUint32(o + 16, true),
      __reserved: d.getUint32(o + 20, true),
      addr: d.getBigUint64(o + 24, true),
      length: d.getUint32(o + 32, true),
      cookie: d.getUint32(o + 36, true),
    };
  },
};

// struct iommu_hwpt_page_response: 8 bytes
const iommu_hwpt_page_response: HandCodec = {
  size: 8,
  encode(v, d, o) {
    d.setUint32(o, v.cookie ?? 0, true);
    d.setUint32(o + 4, v.code ?? 0, true);
  },
  decode(d, o) {
    return {
      cookie: d.getUint32(o, true),
      code: d.getUint32(o + 4, true),
    };
  },
};

// struct iommu_fault_alloc: 16 bytes
const iommu_fault_alloc: HandCodec = {
  size: 16,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.out_fault_id ?? 0, true);
    d.setUint32(o + 12, v.out_fault_fd ?? 0, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      out_fault_id: d.getUint32(o + 8, true),
      out_fault_fd: d.getUint32(o + 12, true),
    };
  },
};

// struct iommu_viommu_tegra241_cmdqv: 16 bytes
const iommu_viommu_tegra241_cmdqv: HandCodec = {
  size: 16,
  encode(v, d, o) {
    d.setBigUint64(o, v.out_vintf_mmap_offset ?? 0n, true);
    d.setBigUint64(o + 8, v.out_vintf_mmap_length ?? 0n, true);
  },
  decode(d, o) {
    return {
      out_vintf_mmap_offset: d.getBigUint64(o, true),
      out_vintf_mmap_length: d.getBigUint64(o + 8, true),
    };
  },
};

// struct iommu_viommu_alloc: 40 bytes
const iommu_viommu_alloc: HandCodec = {
  size: 40,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.type ?? 0, true);
    d.setUint32(o + 12, v.dev_id ?? 0, true);
    d.setUint32(o + 16, v.hwpt_id ?? 0, true);
    d.setUint32(o + 20, v.out_viommu_id ?? 0, true);
    d.setUint32(o + 24, v.data_len ?? 0, true);
    d.setUint32(o + 28, 0, true); // __reserved
    d.setBigUint64(o + 32, v.data_uptr ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      type: d.getUint32(o + 8, true),
      dev_id: d.getUint32(o + 12, true),
      hwpt_id: d.getUint32(o + 16, true),
      out_viommu_id: d.getUint32(o + 20, true),
      data_len: d.getUint32(o + 24, true),
      __reserved: d.getUint32(o + 28, true),
      data_uptr: d.getBigUint64(o + 32, true),
    };
  },
};

// struct iommu_vdevice_alloc: 24 bytes
const iommu_vdevice_alloc: HandCodec = {
  size: 24,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.viommu_id ?? 0, true);
    d.setUint32(o + 8, v.dev_id ?? 0, true);
    d.setUint32(o + 12, v.out_vdevice_id ?? 0, true);
    d.setBigUint64(o + 16, v.virt_id ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      viommu_id: d.getUint32(o + 4, true),
      dev_id: d.getUint32(o + 8, true),
      out_vdevice_id: d.getUint32(o + 12, true),
      virt_id: d.getBigUint64(o + 16, true),
    };
  },
};

// struct iommu_ioas_change_process: 8 bytes
const iommu_ioas_change_process: HandCodec = {
  size: 8,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, 0, true); // __reserved
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      __reserved: d.getUint32(o + 4, true),
    };
  },
};

// struct iommufd_vevent_header: 8 bytes
const iommufd_vevent_header: HandCodec = {
  size: 8,
  encode(v, d, o) {
    d.setUint32(o, v.flags ?? 0, true);
    d.setUint32(o + 4, v.sequence ?? 0, true);
  },
  decode(d, o) {
    return {
      flags: d.getUint32(o, true),
      sequence: d.getUint32(o + 4, true),
    };
  },
};

// struct iommu_vevent_arm_smmuv3: 32 bytes, __aligned_le64 evt[4]
const iommu_vevent_arm_smmuv3: HandCodec = {
  size: 32,
  encode(v, d, o) {
    const a = v.evt ?? NO_U64;
    d.setBigUint64(o, a[0], true);
    d.setBigUint64(o + 8, a[1], true);
    d.setBigUint64(o + 16, a[2], true);
    d.setBigUint64(o + 24, a[3], true);
  },
  decode(d, o) {
    return {
      evt: [d.getBigUint64(o, true), d.getBigUint64(o + 8, true), d.getBigUint64(o + 16, true), d.getBigUint64(o + 24, true)],
    };
  },
};

// struct iommu_vevent_tegra241_cmdqv: 16 bytes, __aligned_le64 lvcmdq_err_map[2]
const iommu_vevent_tegra241_cmdqv: HandCodec = {
  size: 16,
  encode(v, d, o) {
    const a = v.lvcmdq_err_map ?? NO_U64;
    d.setBigUint64(o, a[0], true);
    d.setBigUint64(o + 8, a[1], true);
  },
  decode(d, o) {
    return {
      lvcmdq_err_map: [d.getBigUint64(o, true), d.getBigUint64(o + 8, true)],
    };
  },
};

// struct iommu_veventq_alloc: 32 bytes
const iommu_veventq_alloc: HandCodec = {
  size: 32,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.viommu_id ?? 0, true);
    d.setUint32(o + 12, v.type ?? 0, true);
    d.setUint32(o + 16, v.veventq_depth ?? 0, true);
    d.setUint32(o + 20, v.out_veventq_id ?? 0, true);
    d.setUint32(o + 24, v.out_veventq_fd ?? 0, true);
    d.setUint32(o + 28, 0, true); // __reserved
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      viommu_id: d.getUint32(o + 8, true),
      type: d.getUint32(o + 12, true),
      veventq_depth: d.getUint32(o + 16, true),
      out_veventq_id: d.getUint32(o + 20, true),
      out_veventq_fd: d.getUint32(o + 24, true),
      __reserved: d.getUint32(o + 28, true),
    };
  },
};

// struct iommu_hw_queue_alloc: 40 bytes
const iommu_hw_queue_alloc: HandCodec = {
  size: 40,
  encode(v, d, o) {
    d.setUint32(o, v.size ?? 0, true);
    d.setUint32(o + 4, v.flags ?? 0, true);
    d.setUint32(o + 8, v.viommu_id ?? 0, true);
    d.setUint32(o + 12, v.type ?? 0, true);
    d.setUint32(o + 16, v.index ?? 0, true);
    d.setUint32(o + 20, v.out_hw_queue_id ?? 0, true);
    d.setBigUint64(o + 24, v.nesting_parent_iova ?? 0n, true);
    d.setBigUint64(o + 32, v.length ?? 0n, true);
  },
  decode(d, o) {
    return {
      size: d.getUint32(o, true),
      flags: d.getUint32(o + 4, true),
      viommu_id: d.getUint32(o + 8, true),
      type: d.getUint32(o + 12, true),
      index: d.getUint32(o + 16, true),
      out_hw_queue_id: d.getUint32(o + 20, true),
      nesting_parent_iova: d.getBigUint64(o + 24, true),
      length: d.getBigUint64(o + 32, true),
    };
  },
};

/** Every named struct and union of iommufd.h (v7.3), by C tag. */
export const handwritten: Readonly<Record<string, HandCodec>> = Object.freeze({
  iommu_destroy,
  iommu_ioas_alloc,
  iommu_iova_range,
  iommu_ioas_iova_ranges,
  iommu_ioas_allow_iovas,
  iommu_ioas_map,
  iommu_ioas_noiommu_get_pa,
  iommu_ioas_map_file,
  iommu_ioas_copy,
  iommu_ioas_unmap,
  iommu_option,
  iommu_vfio_ioas,
  iommu_hwpt_vtd_s1,
  iommu_hwpt_arm_smmuv3,
  iommu_hwpt_amd_guest,
  iommu_hwpt_alloc,
  iommu_hw_info_vtd,
  iommu_hw_info_arm_smmuv3,
  iommu_hw_info_tegra241_cmdqv,
  iommu_hw_info_amd,
  iommu_hw_info,
  iommu_hwpt_set_dirty_tracking,
  iommu_hwpt_get_dirty_bitmap,
  iommu_hwpt_vtd_s1_invalidate,
  iommu_viommu_arm_smmuv3_invalidate,
  iommu_hwpt_invalidate,
  iommu_hwpt_pgfault,
  iommu_hwpt_page_response,
  iommu_fault_alloc,
  iommu_viommu_tegra241_cmdqv,
  iommu_viommu_alloc,
  iommu_vdevice_alloc,
  iommu_ioas_change_process,
  iommufd_vevent_header,
  iommu_vevent_arm_smmuv3,
  iommu_vevent_tegra241_cmdqv,
  iommu_veventq_alloc,
  iommu_hw_queue_alloc,
});
