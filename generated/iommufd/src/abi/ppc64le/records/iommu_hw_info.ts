// ppc64le lays this module out as x86_64 does: the same code (../../../records/iommu_hw_info.js).
export * from '../../../records/iommu_hw_info.js';
