// i386 lays this module out as x86_64 does: the same code (../../../records/vfio_group_status.js).
export * from '../../../records/vfio_group_status.js';
