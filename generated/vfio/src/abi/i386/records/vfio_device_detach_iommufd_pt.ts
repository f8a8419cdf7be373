// i386 lays this module out as x86_64 does: the same code (../../../records/vfio_device_detach_iommufd_pt.js).
export * from '../../../records/vfio_device_detach_iommufd_pt.js';
