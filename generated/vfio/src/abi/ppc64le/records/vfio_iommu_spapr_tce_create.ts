// ppc64le lays this module out as x86_64 does: the same code (../../../records/vfio_iommu_spapr_tce_create.js).
export * from '../../../records/vfio_iommu_spapr_tce_create.js';
