// ppc64le lays this module out as x86_64 does: the same code (../../../records/widget_pin.js).
export * from '../../../records/widget_pin.js';
