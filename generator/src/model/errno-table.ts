// Linux errno numbers on x86-64: the one table, owned by the runtime package (which names the errno of a failed
// call with it) and read here for the errno names the kernel-doc mentions. test/conformance/errno.test.ts checks every
// entry against gcc.
export { ERRNO_NAMES } from '@uapi-ts/runtime/errno';
