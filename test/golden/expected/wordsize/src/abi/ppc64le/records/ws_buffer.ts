// ppc64le lays this module out as x86_64 does: the same code (../../../records/ws_buffer.js).
export * from '../../../records/ws_buffer.js';
