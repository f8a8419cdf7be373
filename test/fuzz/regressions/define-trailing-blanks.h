/*
 * Fuzz regression: tree-sitter-c reads `#define NAME` followed by blanks (spaces, a tab, a CR of a CRLF
 * line end) as a #define whose body is the NEXT line, so the #include below vanished silently and __u32
 * became an unknown type; a #define ending in a comment and then a blank was a false syntax error.
 * The generator now ignores blanks at line ends, as C does.
 * Found by: npm run fuzz -- --header headers/v7.3/iommufd_test.h --seed 3650 --mutations trailing-space,trailing-space,widen-space
 *
 * fuzz-expect: ok
 */
#ifndef FUZZ_GUARD_H
#define FUZZ_GUARD_H 	 
#include <linux/types.h>

#define ONE 1 /* c */ 
#define EMPTY
#include <linux/ioctl.h>

struct guarded {
	__u32 a[ONE];
};
#define GUARDED_IOCTL _IOR(1, 2, struct guarded)
#endif
