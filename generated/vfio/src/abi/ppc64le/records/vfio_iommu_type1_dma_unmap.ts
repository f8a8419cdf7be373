// ppc64le lays this module out as x86_64 does: the same code (../../../records/vfio_iommu_type1_dma_unmap.js).
export * from '../../../records/vfio_iommu_type1_dma_unmap.js';
