// ppc64le lays this module out as x86_64 does: the same code (../../../records/iommu_vdevice_alloc.js).
export * from '../../../records/iommu_vdevice_alloc.js';
