// ppc64le lays this module out as x86_64 does: the same code (../../records.js).
export * from '../../records.js';
