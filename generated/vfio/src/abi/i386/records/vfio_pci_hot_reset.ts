// i386 lays this module out as x86_64 does: the same code (../../../records/vfio_pci_hot_reset.js).
export * from '../../../records/vfio_pci_hot_reset.js';
