/*
 * Fuzz regression (found next to huge-alignment.h): aligned(12884901888), 3 * 2^32, passed the 32-bit
 * power-of-2 test (its low 32 bits are 0) and gave a 12 GiB struct.
 *
 * fuzz-expect: error /requested alignment 12884901888 is not a positive power of 2/
 */
#include <linux/types.h>
struct odd_align {
	__u32 x;
} __attribute__((aligned(12884901888ULL)));
