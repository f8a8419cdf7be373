/*
 * Fuzz regression: `#include <linux>` names a folder of the include path. The generator took any existing
 * path for the header and read the folder: EISDIR, a stack trace and exit status 1 with no location.
 * Found by: npm run fuzz -- --header headers/v7.3/iommufd_test.h --seed 2170 --mutations include
 *
 * fuzz-expect: error /cannot find <linux>/
 * fuzz-include: headers/v7.3
 */
#include <linux>
