// A small synthetic header for the release and documentation-diff tests, with kernel-doc, in variants.
export interface WidgetOptions {
  readonly summary?: string; // struct widget_config's kernel-doc summary
  readonly flagsDoc?: string; // its @flags text
  readonly modeDoc?: string; // enum widget_mode's @WIDGET_MODE_ON text
  readonly docSection?: string | null; // the DOC: Widgets text; null leaves the section out
  readonly reset?: boolean; // WIDGET_RESET ioctl
  readonly stat?: boolean; // WIDGET_STAT ioctl (removed → breaking)
}

export function widgetHeader(o: WidgetOptions = {}): string {
  const doc = o.docSection === undefined ? 'Widgets are configured with WIDGET_CONFIG.' : o.docSection;
  return `/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _WIDGET_H
#define _WIDGET_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define WIDGET_TYPE 0x77
${doc === null ? '' : `
/**
 * DOC: Widgets
 *
 * ${doc}
 */
`}
/**
 * enum widget_mode - How a widget runs
 * @WIDGET_MODE_OFF: Stopped
 * @WIDGET_MODE_ON: ${o.modeDoc ?? 'Running'}
 */
enum widget_mode {
	WIDGET_MODE_OFF = 0,
	WIDGET_MODE_ON = 1,
};

/**
 * struct widget_config - ${o.summary ?? 'Configure a widget'}
 * @size: sizeof(struct widget_config)
 * @flags: ${o.flagsDoc ?? 'Must be 0'}
 * @mode: One of enum widget_mode
 * @__reserved: Must be 0
 *
 * Sets how the widget runs.
 */
struct widget_config {
	__u32 size;
	__u32 flags;
	__u32 mode;
	__u32 __reserved;
};
#define WIDGET_CONFIG _IOW(WIDGET_TYPE, 1, struct widget_config)
${o.stat === false ? '' : '#define WIDGET_STAT _IOR(WIDGET_TYPE, 2, struct widget_config)'}
${o.reset ? '#define WIDGET_RESET _IOW(WIDGET_TYPE, 3, struct widget_config)' : ''}

#endif
`;
}
