// ppc64le lays this module out as x86_64 does: the same code (../../../records/iommu_hwpt_get_dirty_bitmap.js).
export * from '../../../records/iommu_hwpt_get_dirty_bitmap.js';
