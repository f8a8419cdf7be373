/*
 * Fuzz regression: a header with CRLF line ends and a struct left open in an #ifndef. The syntax error quoted the line with
 * its CR, so the message printed as `file:line:col: syntax error near '#ifndef CRLF_H<CR>'`: a raw carriage
 * return that sends the terminal back over the location. Diagnostics are now one line of text.
 * (Since conditionals are run before parsing, the error is the struct left open, quoted with its CR escaped.)
 * Found by: npm run fuzz -- --header headers/v7.3/iommufd_test.h --seed 3490 --mutations crlf,truncate,include
 *
 * fuzz-expect: error /syntax error near 'struct crlf \{\\r'/
 */
#ifndef CRLF_H
#define CRLF_H
struct crlf {
	int x;
#endif
