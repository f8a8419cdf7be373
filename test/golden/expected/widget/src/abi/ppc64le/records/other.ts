// ppc64le lays this module out as x86_64 does: the same code (../../../records/other.js).
export * from '../../../records/other.js';
