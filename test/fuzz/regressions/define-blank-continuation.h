/*
 * Fuzz regression: `#define EMPTY \` continued onto a blank line. tree-sitter-c reads the line after
 * the blank one as the body of EMPTY, so that line (here the #include) vanished silently. The generator
 * cannot read such a #define exactly, so it says so.
 *
 * fuzz-expect: error /blank line/
 */
#define EMPTY \

#include <linux/types.h>
struct s { __u32 a; };
