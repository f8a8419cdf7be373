import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeaderError, type Loc } from '../../generator/src/diagnostics.js';
import { parseKernelDoc } from '../../generator/src/parse/kerneldoc.js';
import type { DocMember, KernelDoc } from '../../generator/src/parse/syntax.js';

const HEADERS = '/work/shared/headers';
const FILE = 'iommufd-v7.3.h';

const at = (line: number, col: number, file = FILE): Loc => ({ file, line, col });
const m = (name: string, text: string, line: number, col: number, file = FILE): DocMember => ({
  name,
  text,
  loc: at(line, col, file),
});
const doc = (
  target: KernelDoc['target'],
  summary: string,
  members: DocMember[],
  description: string,
  loc: Loc,
): KernelDoc => ({ kind: 'kernel-doc', target, summary, members, description, loc });

interface Case {
  readonly name: string;
  readonly comment: string;
  readonly loc: Loc; // of the comment's '/'
  readonly expected: KernelDoc | null;
}

// Real comments, copied from /work/shared/headers; the comment's first line and column are the header's.
const real: Case[] = [
  {
    name: 'iommu_destroy: members then one description paragraph',
    loc: at(63, 1),
    comment: `/**
 * struct iommu_destroy - ioctl(IOMMU_DESTROY)
 * @size: sizeof(struct iommu_destroy)
 * @id: iommufd object ID to destroy. Can be any destroyable object type.
 *
 * Destroy any object held within iommufd.
 */`,
    expected: doc(
      { kind: 'struct', name: 'iommu_destroy' },
      'ioctl(IOMMU_DESTROY)',
      [
        m('size', 'sizeof(struct iommu_destroy)', 65, 4),
        m('id', 'iommufd object ID to destroy. Can be any destroyable object type.', 66, 4),
      ],
      'Destroy any object held within iommufd.',
      at(64, 4),
    ),
  },
  {
    name: 'iommu_ioas_iova_ranges: paragraphs and a :: literal block keep their indentation',
    loc: at(104, 1),
    comment: `/**
 * struct iommu_ioas_iova_ranges - ioctl(IOMMU_IOAS_IOVA_RANGES)
 * @size: sizeof(struct iommu_ioas_iova_ranges)
 * @ioas_id: IOAS ID to read ranges from
 * @num_iovas: Input/Output total number of ranges in the IOAS
 * @__reserved: Must be 0
 * @allowed_iovas: Pointer to the output array of struct iommu_iova_range
 * @out_iova_alignment: Minimum alignment required for mapping IOVA
 *
 * Query an IOAS for ranges of allowed IOVAs. Mapping IOVA outside these ranges
 * is not allowed. num_iovas will be set to the total number of iovas and
 * the allowed_iovas[] will be filled in as space permits.
 *
 * The allowed ranges are dependent on the HW path the DMA operation takes, and
 * can change during the lifetime of the IOAS. A fresh empty IOAS will have a
 * full range, and each attached device will narrow the ranges based on that
 * device's HW restrictions. Detaching a device can widen the ranges. Userspace
 * should query ranges after every attach/detach to know what IOVAs are valid
 * for mapping.
 *
 * On input num_iovas is the length of the allowed_iovas array. On output it is
 * the total number of iovas filled in. The ioctl will return -EMSGSIZE and set
 * num_iovas to the required value if num_iovas is too small. In this case the
 * caller should allocate a larger output array and re-issue the ioctl.
 *
 * out_iova_alignment returns the minimum IOVA alignment that can be given
 * to IOMMU_IOAS_MAP/COPY. IOVA's must satisfy::
 *
 *   starting_iova % out_iova_alignment == 0
 *   (starting_iova + length) % out_iova_alignment == 0
 *
 * out_iova_alignment can be 1 indicating any IOVA is allowed. It cannot
 * be higher than the system PAGE_SIZE.
 */`,
    expected: doc(
      { kind: 'struct', name: 'iommu_ioas_iova_ranges' },
      'ioctl(IOMMU_IOAS_IOVA_RANGES)',
      [
        m('size', 'sizeof(struct iommu_ioas_iova_ranges)', 106, 4),
        m('ioas_id', 'IOAS ID to read ranges from', 107, 4),
        m('num_iovas', 'Input/Output total number of ranges in the IOAS', 108, 4),
        m('__reserved', 'Must be 0', 109, 4),
        m('allowed_iovas', 'Pointer to the output array of struct iommu_iova_range', 110, 4),
        m('out_iova_alignment', 'Minimum alignment required for mapping IOVA', 111, 4),
      ],
      [
        'Query an IOAS for ranges of allowed IOVAs. Mapping IOVA outside these ranges',
        'is not allowed. num_iovas will be set to the total number of iovas and',
        'the allowed_iovas[] will be filled in as space permits.',
        '',
        'The allowed ranges are dependent on the HW path the DMA operation takes, and',
        'can change during the lifetime of the IOAS. A fresh empty IOAS will have a',
        'full range, and each attached device will narrow the ranges based on that',
        "device's HW restrictions. Detaching a device can widen the ranges. Userspace",
        'should query ranges after every attach/detach to know what IOVAs are valid',
        'for mapping.',
        '',
        'On input num_iovas is the length of the allowed_iovas array. On output it is',
        'the total number of iovas filled in. The ioctl will return -EMSGSIZE and set',
        'num_iovas to the required value if num_iovas is too small. In this case the',
        'caller should allocate a larger output array and re-issue the ioctl.',
        '',
        'out_iova_alignment returns the minimum IOVA alignment that can be given',
        "to IOMMU_IOAS_MAP/COPY. IOVA's must satisfy::",
        '',
        '  starting_iova % out_iova_alignment == 0',
        '  (starting_iova + length) % out_iova_alignment == 0',
        '',
        'out_iova_alignment can be 1 indicating any IOVA is allowed. It cannot',
        'be higher than the system PAGE_SIZE.',
      ].join('\n'),
      at(105, 4),
    ),
  },
  {
    name: 'enum iommufd_hw_capabilities: no summary; a blank line then deeper text stays in the member',
    loc: at(726, 1),
    comment: `/**
 * enum iommufd_hw_capabilities
 * @IOMMU_HW_CAP_DIRTY_TRACKING: IOMMU hardware support for dirty tracking
 *                               If available, it means the following APIs
 *                               are supported:
 *
 *                                   IOMMU_HWPT_GET_DIRTY_BITMAP
 *                                   IOMMU_HWPT_SET_DIRTY_TRACKING
 *
 * @IOMMU_HW_CAP_PCI_PASID_EXEC: Execute Permission Supported, user ignores it
 *                               when the struct
 *                               iommu_hw_info::out_max_pasid_log2 is zero.
 * @IOMMU_HW_CAP_PCI_PASID_PRIV: Privileged Mode Supported, user ignores it
 *                               when the struct
 *                               iommu_hw_info::out_max_pasid_log2 is zero.
 * @IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED: ATS is not supported or cannot be used
 *                                      on this device (absence implies ATS
 *                                      may be enabled)
 */`,
    expected: doc(
      { kind: 'enum', name: 'iommufd_hw_capabilities' },
      '',
      [
        m(
          'IOMMU_HW_CAP_DIRTY_TRACKING',
          [
            'IOMMU hardware support for dirty tracking',
            'If available, it means the following APIs',
            'are supported:',
            '',
            '    IOMMU_HWPT_GET_DIRTY_BITMAP',
            '    IOMMU_HWPT_SET_DIRTY_TRACKING',
          ].join('\n'),
          728,
          4,
        ),
        m(
          'IOMMU_HW_CAP_PCI_PASID_EXEC',
          'Execute Permission Supported, user ignores it\nwhen the struct\niommu_hw_info::out_max_pasid_log2 is zero.',
          735,
          4,
        ),
        m(
          'IOMMU_HW_CAP_PCI_PASID_PRIV',
          'Privileged Mode Supported, user ignores it\nwhen the struct\niommu_hw_info::out_max_pasid_log2 is zero.',
          738,
          4,
        ),
        m(
          'IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED',
          'ATS is not supported or cannot be used\non this device (absence implies ATS\nmay be enabled)',
          741,
          4,
        ),
      ],
      '',
      at(727, 4),
    ),
  },
  {
    name: "iommu_hw_info_amd: '@efr :' with a space before the colon",
    loc: at(680, 1),
    comment: `/**
 * struct iommu_hw_info_amd - AMD IOMMU device info
 *
 * @efr : Value of AMD IOMMU Extended Feature Register (EFR)
 * @efr2: Value of AMD IOMMU Extended Feature 2 Register (EFR2)
 *
 * Please See description of these registers in the following sections of
 * the AMD I/O Virtualization Technology (IOMMU) Specification.
 * (https://docs.amd.com/v/u/en-US/48882_3.10_PUB)
 *
 * - MMIO Offset 0030h IOMMU Extended Feature Register
 * - MMIO Offset 01A0h IOMMU Extended Feature 2 Register
 *
 * Note: The EFR and EFR2 are raw values reported by hardware.
 * VMM is responsible to determine the appropriate flags to be exposed to
 * the VM since cetertain features are not currently supported by the kernel
 * for HW-vIOMMU.
 *
 * Current VMM-allowed list of feature flags are:
 * - EFR[GTSup, GASup, GioSup, PPRSup, EPHSup, GATS, GLX, PASmax]
 */`,
    expected: doc(
      { kind: 'struct', name: 'iommu_hw_info_amd' },
      'AMD IOMMU device info',
      [
        m('efr', 'Value of AMD IOMMU Extended Feature Register (EFR)', 683, 4),
        m('efr2', 'Value of AMD IOMMU Extended Feature 2 Register (EFR2)', 684, 4),
      ],
      [
        'Please See description of these registers in the following sections of',
        'the AMD I/O Virtualization Technology (IOMMU) Specification.',
        '(https://docs.amd.com/v/u/en-US/48882_3.10_PUB)',
        '',
        '- MMIO Offset 0030h IOMMU Extended Feature Register',
        '- MMIO Offset 01A0h IOMMU Extended Feature 2 Register',
        '',
        'Note: The EFR and EFR2 are raw values reported by hardware.',
        'VMM is responsible to determine the appropriate flags to be exposed to',
        'the VM since cetertain features are not currently supported by the kernel',
        'for HW-vIOMMU.',
        '',
        'Current VMM-allowed list of feature flags are:',
        '- EFR[GTSup, GASup, GioSup, PPRSup, EPHSup, GATS, GLX, PASmax]',
      ].join('\n'),
      at(681, 4),
    ),
  },
  {
    name: 'iommu_hw_info_vtd: blank lines before and between members',
    loc: at(584, 1),
    comment: `/**
 * struct iommu_hw_info_vtd - Intel VT-d hardware information
 *
 * @flags: Combination of enum iommu_hw_info_vtd_flags
 * @__reserved: Must be 0
 *
 * @cap_reg: Value of Intel VT-d capability register defined in VT-d spec
 *           section 11.4.2 Capability Register.
 * @ecap_reg: Value of Intel VT-d capability register defined in VT-d spec
 *            section 11.4.3 Extended Capability Register.
 *
 * User needs to understand the Intel VT-d specification to decode the
 * register value.
 */`,
    expected: doc(
      { kind: 'struct', name: 'iommu_hw_info_vtd' },
      'Intel VT-d hardware information',
      [
        m('flags', 'Combination of enum iommu_hw_info_vtd_flags', 587, 4),
        m('__reserved', 'Must be 0', 588, 4),
        m('cap_reg', 'Value of Intel VT-d capability register defined in VT-d spec\nsection 11.4.2 Capability Register.', 590, 4),
        m('ecap_reg', 'Value of Intel VT-d capability register defined in VT-d spec\nsection 11.4.3 Extended Capability Register.', 592, 4),
      ],
      'User needs to understand the Intel VT-d specification to decode the\nregister value.',
      at(585, 4),
    ),
  },
  {
    name: 'DOC: General ioctl format: title only, the bullet list keeps its one-space indent',
    loc: at(12, 1),
    comment: `/**
 * DOC: General ioctl format
 *
 * The ioctl interface follows a general format to allow for extensibility. Each
 * ioctl is passed in a structure pointer as the argument providing the size of
 * the structure in the first u32. The kernel checks that any structure space
 * beyond what it understands is 0. This allows userspace to use the backward
 * compatible portion while consistently using the newer, larger, structures.
 *
 * ioctls use a standard meaning for common errnos:
 *
 *  - ENOTTY: The IOCTL number itself is not supported at all
 *  - E2BIG: The IOCTL number is supported, but the provided structure has
 *    non-zero in a part the kernel does not understand.
 *  - EOPNOTSUPP: The IOCTL number is supported, and the structure is
 *    understood, however a known field has a value the kernel does not
 *    understand or support.
 *  - EINVAL: Everything about the IOCTL was understood, but a field is not
 *    correct.
 *  - ENOENT: An ID or IOVA provided does not exist.
 *  - ENOMEM: Out of memory.
 *  - EOVERFLOW: Mathematics overflowed.
 *
 * As well as additional errnos, within specific ioctls.
 */`,
    expected: doc(
      { kind: 'doc', name: 'General ioctl format' },
      '',
      [],
      [
        'The ioctl interface follows a general format to allow for extensibility. Each',
        'ioctl is passed in a structure pointer as the argument providing the size of',
        'the structure in the first u32. The kernel checks that any structure space',
        'beyond what it understands is 0. This allows userspace to use the backward',
        'compatible portion while consistently using the newer, larger, structures.',
        '',
        'ioctls use a standard meaning for common errnos:',
        '',
        ' - ENOTTY: The IOCTL number itself is not supported at all',
        ' - E2BIG: The IOCTL number is supported, but the provided structure has',
        '   non-zero in a part the kernel does not understand.',
        ' - EOPNOTSUPP: The IOCTL number is supported, and the structure is',
        '   understood, however a known field has a value the kernel does not',
        '   understand or support.',
        ' - EINVAL: Everything about the IOCTL was understood, but a field is not',
        '   correct.',
        ' - ENOENT: An ID or IOVA provided does not exist.',
        ' - ENOMEM: Out of memory.',
        ' - EOVERFLOW: Mathematics overflowed.',
        '',
        'As well as additional errnos, within specific ioctls.',
      ].join('\n'),
      at(13, 4),
    ),
  },
  {
    name: "enum iommufd_hwpt_set_dirty_tracking_flags: a plain '/*' comment of kernel-doc shape",
    loc: at(815, 1),
    comment: `/*
 * enum iommufd_hwpt_set_dirty_tracking_flags - Flags for steering dirty
 *                                              tracking
 * @IOMMU_HWPT_DIRTY_TRACKING_ENABLE: Enable dirty tracking
 */`,
    expected: doc(
      { kind: 'enum', name: 'iommufd_hwpt_set_dirty_tracking_flags' },
      'Flags for steering dirty tracking',
      [m('IOMMU_HWPT_DIRTY_TRACKING_ENABLE', 'Enable dirty tracking', 818, 4)],
      '',
      at(816, 4),
    ),
  },
  {
    name: 'iommu_hwpt_vtd_s1: the summary continues on an indented line',
    loc: at(455, 1),
    comment: `/**
 * struct iommu_hwpt_vtd_s1 - Intel VT-d stage-1 page table
 *                            info (IOMMU_HWPT_DATA_VTD_S1)
 * @flags: Combination of enum iommu_hwpt_vtd_s1_flags
 * @pgtbl_addr: The base address of the stage-1 page table.
 * @addr_width: The address width of the stage-1 page table
 * @__reserved: Must be 0
 */`,
    expected: doc(
      { kind: 'struct', name: 'iommu_hwpt_vtd_s1' },
      'Intel VT-d stage-1 page table info (IOMMU_HWPT_DATA_VTD_S1)',
      [
        m('flags', 'Combination of enum iommu_hwpt_vtd_s1_flags', 458, 4),
        m('pgtbl_addr', 'The base address of the stage-1 page table.', 459, 4),
        m('addr_width', 'The address width of the stage-1 page table', 460, 4),
        m('__reserved', 'Must be 0', 461, 4),
      ],
      '',
      at(456, 4),
    ),
  },
  {
    name: 'enum iommufd_option: two-line summary, member text starting on the next line',
    loc: at(329, 1),
    comment: `/**
 * enum iommufd_option - ioctl(IOMMU_OPTION_RLIMIT_MODE) and
 *                       ioctl(IOMMU_OPTION_HUGE_PAGES)
 * @IOMMU_OPTION_RLIMIT_MODE:
 *    Change how RLIMIT_MEMLOCK accounting works. The caller must have privilege
 *    to invoke this. Value 0 (default) is user based accounting, 1 uses process
 *    based accounting. Global option, object_id must be 0
 * @IOMMU_OPTION_HUGE_PAGES:
 *    Value 1 (default) allows contiguous pages to be combined when generating
 *    iommu mappings. Value 0 disables combining, everything is mapped to
 *    PAGE_SIZE. This can be useful for benchmarking.  This is a per-IOAS
 *    option, the object_id must be the IOAS ID.
 */`,
    expected: doc(
      { kind: 'enum', name: 'iommufd_option' },
      'ioctl(IOMMU_OPTION_RLIMIT_MODE) and ioctl(IOMMU_OPTION_HUGE_PAGES)',
      [
        m(
          'IOMMU_OPTION_RLIMIT_MODE',
          [
            'Change how RLIMIT_MEMLOCK accounting works. The caller must have privilege',
            'to invoke this. Value 0 (default) is user based accounting, 1 uses process',
            'based accounting. Global option, object_id must be 0',
          ].join('\n'),
          332,
          4,
        ),
        m(
          'IOMMU_OPTION_HUGE_PAGES',
          [
            'Value 1 (default) allows contiguous pages to be combined when generating',
            'iommu mappings. Value 0 disables combining, everything is mapped to',
            'PAGE_SIZE. This can be useful for benchmarking.  This is a per-IOAS',
            'option, the object_id must be the IOAS ID.',
          ].join('\n'),
          336,
          4,
        ),
      ],
      '',
      at(330, 4),
    ),
  },
  {
    name: 'iommu_hwpt_selftest: no summary, a blank line before the member',
    loc: at(218, 1, 'iommufd_test-v7.3.h'),
    comment: `/**
 * struct iommu_hwpt_selftest
 *
 * @iotlb: default mock iotlb value, IOMMU_TEST_IOTLB_DEFAULT
 */`,
    expected: doc(
      { kind: 'struct', name: 'iommu_hwpt_selftest' },
      '',
      [m('iotlb', 'default mock iotlb value, IOMMU_TEST_IOTLB_DEFAULT', 221, 4, 'iommufd_test-v7.3.h')],
      '',
      at(219, 4, 'iommufd_test-v7.3.h'),
    ),
  },
  {
    name: 'SPDX licence comment is not kernel-doc',
    loc: at(1, 1),
    comment: '/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */',
    expected: null,
  },
  {
    name: 'copyright comment is not kernel-doc',
    loc: at(2, 1),
    comment: `/* Copyright (c) 2021-2022, NVIDIA CORPORATION & AFFILIATES.
 */`,
    expected: null,
  },
  {
    name: "'These values are ...' comment is not kernel-doc",
    loc: at(41, 1, 'iommufd_test-v7.3.h'),
    comment: '/* These values are true for MOCK_IOMMUPT_DEFAULT */',
    expected: null,
  },
  {
    name: 'comment inside an enum body is not kernel-doc',
    loc: at(1104, 2),
    comment: `/*
	 * TEGRA241_CMDQV requirements (otherwise, VCMDQs will not work)
	 * - Kernel will allocate a VINTF (HYP_OWN=0) to back this VIOMMU. So,
	 *   VMM must wire the HYP_OWN bit to 0 in guest VINTF_CONFIG register
	 */`,
    expected: null,
  },
];

const S = 'synthetic.h';
const synthetic: Case[] = [
  {
    name: 'nested member names with dots',
    loc: at(10, 1, S),
    comment: `/**
 * struct outer - has a nested struct
 * @a: the inner struct
 * @a.b: a field of it
 * @a.c.d: deeper still
 */`,
    expected: doc(
      { kind: 'struct', name: 'outer' },
      'has a nested struct',
      [m('a', 'the inner struct', 12, 4, S), m('a.b', 'a field of it', 13, 4, S), m('a.c.d', 'deeper still', 14, 4, S)],
      '',
      at(11, 4, S),
    ),
  },
  {
    name: 'function with Return: section kept in the description',
    loc: at(1, 1, S),
    comment: `/**
 * foo() - x
 * @arg: the argument
 * Return: zero
 */`,
    expected: doc({ kind: 'function', name: 'foo' }, 'x', [m('arg', 'the argument', 3, 4, S)], 'Return: zero', at(2, 4, S)),
  },
  {
    name: 'union and typedef titles, kernel-doc on the opening line',
    loc: at(5, 9, S),
    comment: '/** union u - one of two */',
    expected: doc({ kind: 'union', name: 'u' }, 'one of two', [], '', at(5, 13, S)),
  },
  {
    name: 'typedef title without summary',
    loc: at(1, 1, S),
    comment: '/**\n * typedef handle_t\n */',
    expected: doc({ kind: 'typedef', name: 'handle_t' }, '', [], '', at(2, 4, S)),
  },
  {
    name: 'member loc follows the comment loc, including indentation and the first column',
    loc: at(40, 9, S),
    comment: `/**
	 * struct s - indented comment
	 *   @x: deeper member
	 */`,
    expected: doc({ kind: 'struct', name: 's' }, 'indented comment', [m('x', 'deeper member', 42, 7, S)], '', at(41, 5, S)),
  },
  {
    name: 'description before the members, and a member after a description',
    loc: at(1, 1, S),
    comment: `/**
 * struct s - summary
 *
 * Intro paragraph.
 * @a: first
 *
 * Middle paragraph.
 * @b: second
 */`,
    expected: doc(
      { kind: 'struct', name: 's' },
      'summary',
      [m('a', 'first', 5, 4, S), m('b', 'second', 8, 4, S)],
      'Intro paragraph.\n\nMiddle paragraph.',
      at(2, 4, S),
    ),
  },
  {
    name: 'unindented text straight after a member line continues it',
    loc: at(1, 1, S),
    comment: `/**
 * enum e - values
 * @E_A: first line
 * second line
 */`,
    expected: doc({ kind: 'enum', name: 'e' }, 'values', [m('E_A', 'first line\nsecond line', 3, 4, S)], '', at(2, 4, S)),
  },
  { name: "'/***' banner is not kernel-doc", loc: at(1, 1, S), comment: '/*** struct s - banner ***/', expected: null },
  { name: "'/**/' is not kernel-doc", loc: at(1, 1, S), comment: '/**/', expected: null },
  { name: "'/**' comment naming nothing is not kernel-doc", loc: at(1, 1, S), comment: '/** Just some words. */', expected: null },
  {
    name: "plain '/*' comment with more than the kernel-doc shape is not kernel-doc",
    loc: at(1, 1, S),
    comment: '/* struct foo is used for bar */',
    expected: null,
  },
  {
    name: "plain '/*' DOC: comment is not kernel-doc",
    loc: at(1, 1, S),
    comment: '/*\n * DOC: Something\n */',
    expected: null,
  },
];

describe('parseKernelDoc', () => {
  it.each([...real, ...synthetic])('$name', ({ comment, loc, expected }) => {
    expect(parseKernelDoc(comment, loc)).toEqual(expected);
  });

  const malformed: { name: string; comment: string; loc: Loc; message: string }[] = [
    {
      name: "member with an empty name '@: x'",
      comment: '/**\n * struct s - t\n * @: x\n */',
      loc: at(7, 1, S),
      message: "synthetic.h:9:4: kernel-doc member line has no name between '@' and ':'",
    },
    {
      name: "member name that is not an identifier '@a[0]: x'",
      comment: '/**\n * struct s - t\n * @a[0]: x\n */',
      loc: at(1, 1, S),
      message: "synthetic.h:3:4: kernel-doc member name 'a[0]' is not an identifier or a dotted path of identifiers",
    },
    {
      name: 'struct title without a separator before the summary',
      comment: '/**\n * struct s is broken\n */',
      loc: at(1, 1, S),
      message: "synthetic.h:2:4: kernel-doc title 'struct s is broken' should read 'struct NAME - summary'",
    },
  ];
  it.each(malformed)('throws a located HeaderError: $name', ({ comment, loc, message }) => {
    let error: unknown;
    try {
      parseKernelDoc(comment, loc);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HeaderError);
    expect((error as HeaderError).message).toBe(message);
  });

  it("does not read '@name:' lines in a DOC: block as members", () => {
    const parsed = parseKernelDoc('/**\n * DOC: Title\n *\n * @x: prose\n */', at(1, 1, S));
    expect(parsed?.members).toEqual([]);
    expect(parsed?.description).toBe('@x: prose');
  });

  it("titles an untitled DOC: block 'Introduction', as scripts/kernel-doc does (mei.h)", () => {
    const parsed = parseKernelDoc('/**\n * DOC:\n * This IOCTL opens a channel.\n */', at(1, 1, S));
    expect(parsed?.target).toEqual({ kind: 'doc', name: 'Introduction' });
    expect(parsed?.description).toBe('This IOCTL opens a channel.');
  });
});

/** Every comment in a header with the 1-based line and column of its first character. */
function comments(file: string): { text: string; loc: Loc }[] {
  const text = readFileSync(join(HEADERS, file), 'utf8');
  return [...text.matchAll(/\/\*[\s\S]*?\*\//g)].map((match) => {
    const before = text.slice(0, match.index);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { text: match[0], loc: { file, line: before.split('\n').length, col: match.index - lineStart + 1 } };
  });
}

describe('parseKernelDoc over /work/shared/headers', () => {
  const files = readdirSync(HEADERS).filter((f) => f.endsWith('.h'));

  it('finds the headers', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)("reads every '/**' comment of %s as kernel-doc, and no other comment but one", (file) => {
    const all = comments(file);
    const starred = all.filter((c) => c.text.startsWith('/**'));
    expect(starred.length).toBeGreaterThan(0);
    for (const c of starred) {
      const parsed = parseKernelDoc(c.text, c.loc);
      expect(parsed, `${c.loc.file}:${c.loc.line}`).not.toBeNull();
      // Every member line of the comment became a member.
      const memberLines = c.text.split('\n').filter((l) => /^\s*\*\s*@[\w.]+\s*:/.test(l)).length;
      expect(parsed!.members.length, `${c.loc.file}:${c.loc.line}`).toBe(parsed!.target.kind === 'doc' ? 0 : memberLines);
    }
    // Of the plain '/*' comments only the one on enum iommufd_hwpt_set_dirty_tracking_flags is kernel-doc.
    const plain = all.filter((c) => !c.text.startsWith('/**')).map((c) => parseKernelDoc(c.text, c.loc));
    const names = plain.filter((d) => d !== null).map((d) => d!.target.name);
    expect(names).toEqual(/iommufd-v(6\.12|7\.3)\.h/.test(file) ? ['iommufd_hwpt_set_dirty_tracking_flags'] : []);
  });
});
