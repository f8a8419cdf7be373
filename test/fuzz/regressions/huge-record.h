/*
 * Fuzz regression: a 16 MiB array member. The model allowed records up to 2 GiB, but the documentation
 * draws a record one row per 8 bytes and the encoder plans every byte: 16 s and a 2 GB string ("Invalid
 * string length"); at 2 GiB, gigabytes. Records are now limited to 1 MiB (the largest ioctl argument the
 * request number can describe is 16 KiB), with a located error.
 * Found while reducing huge-alignment.h; the array-size mutation aims the same way.
 *
 * fuzz-expect: error /too large/
 */
#include <linux/types.h>
struct huge_record {
	__u32 size;
	__u8 bytes[16777216];
};
