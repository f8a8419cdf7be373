// ppc64le lays this module out as x86_64 does: the same code (../../../records/widget_config.js).
export * from '../../../records/widget_config.js';
