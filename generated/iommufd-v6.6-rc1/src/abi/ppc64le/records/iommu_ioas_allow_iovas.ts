// ppc64le lays this module out as x86_64 does: the same code (../../../records/iommu_ioas_allow_iovas.js).
export * from '../../../records/iommu_ioas_allow_iovas.js';
