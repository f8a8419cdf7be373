/*
 * Fuzz regression: a quoted #include that climbs to /dev/stdin. The generator opened the device: it
 * blocked reading a terminal or pipe, or crashed with ENXIO on a socket. Only regular files are headers.
 * Found by: npm run fuzz -- --header headers/v6.12/linux/iommufd.h --seed 1412 --mutations swap-tokens,include,duplicate-lines
 *
 * fuzz-expect: error /cannot find/
 */
#include "../../../../../../../../../../../../../../../../../../../../../../../../dev/stdin"
