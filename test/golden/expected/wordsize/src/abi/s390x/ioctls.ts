// s390x lays this module out as x86_64 does: the same code (../../ioctls.js).
export * from '../../ioctls.js';
