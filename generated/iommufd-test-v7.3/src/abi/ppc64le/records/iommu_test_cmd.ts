// ppc64le lays this module out as x86_64 does: the same code (../../../records/iommu_test_cmd.js).
export * from '../../../records/iommu_test_cmd.js';
