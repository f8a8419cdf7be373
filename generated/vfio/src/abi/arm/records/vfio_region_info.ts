// arm lays this module out as x86_64 does: the same code (../../../records/vfio_region_info.js).
export * from '../../../records/vfio_region_info.js';
