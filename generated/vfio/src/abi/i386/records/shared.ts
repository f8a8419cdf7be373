// i386 lays this module out as x86_64 does: the same code (../../../records/shared.js).
export * from '../../../records/shared.js';
