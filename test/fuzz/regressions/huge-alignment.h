/*
 * Fuzz regression: __attribute__((aligned(1ULL << 40))). The power-of-2 test used 32-bit bitwise operators,
 * which see 2^40 as 0, so the struct got a 1 TiB size; rendering its encoder then failed with "RangeError:
 * Invalid typed array length" and a stack trace. gcc refuses alignments over 2^28, and so does the generator.
 * Found by: npm run fuzz -- --header headers/v7.3/iommufd_test.h --seed 23510 --mutations unsupported
 *
 * fuzz-expect: error /requested alignment 1099511627776 exceeds maximum 268435456/
 */
#include <linux/types.h>
struct huge_align {
	__u32 x;
} __attribute__((aligned(1ULL << 40)));
