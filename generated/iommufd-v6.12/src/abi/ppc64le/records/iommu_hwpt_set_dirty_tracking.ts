// ppc64le lays this module out as x86_64 does: the same code (../../../records/iommu_hwpt_set_dirty_tracking.js).
export * from '../../../records/iommu_hwpt_set_dirty_tracking.js';
