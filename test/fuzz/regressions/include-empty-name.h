/*
 * Fuzz regression: `#include ""` names the including folder itself (join(dir, "") is dir), read as a
 * file: EISDIR and a stack trace.
 *
 * fuzz-expect: error /cannot find ""/
 */
#include ""
