/*
 * Fuzz regression: `#define EMPTY \` continued onto a blank line. tree-sitter-c reads the line after
 * the blank one as the body of EMPTY, so that line (here the #include) vanished silently. The generator
 * cannot read such a #define exactly, so it said so. Directives are now read by our own preprocessor pass,
 * which splices the lines as C does (EMPTY is empty, the #include is read).
 *
 * fuzz-expect: ok
 */
#define EMPTY \

#include <linux/types.h>
struct s { __u32 a; };
