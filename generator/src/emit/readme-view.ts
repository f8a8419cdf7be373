// The examples of a package's README, made from that package's own records and ioctls (the README is what npm
// shows its users, so its code must compile against it: test/consumer checks that).
import type { DeviceView } from './device-view.js';
import type { RecordView } from './views.js';

export interface ReadmeView {
  /** Encoding and decoding one struct: the first ioctl's argument, else the first named record. */
  readonly codec: {
    readonly ts: string;
    readonly init: string; // `{ size: X.size }` when the struct has a size field (its extension), else `{}`
    readonly fields: string; // what decoding returns, for a comment: `{ size, flags, out_id }`
  } | null;
  /** Calling one ioctl in its three forms; null for a header without ioctls. */
  readonly device: {
    readonly className: string;
    readonly openArg: string; // '' when the profile names the device, else a placeholder path
    readonly path: string | null;
    readonly ioctl: string;
    readonly args: string; // `{}`, or '' for an ioctl without an argument struct
    readonly method: string;
    readonly tryMethod: string;
    readonly prepareMethod: string | null;
    readonly fillsSize: boolean;
    readonly sizeField: string | null; // the field filled with the struct's size
  } | null;
}

const SHOWN_FIELDS = 4;

/** `sizeFields`: TS name of a record → the field that holds its size (the annotations' extension). */
export function readmeView(records: readonly RecordView[], device: DeviceView, sizeFields: ReadonlyMap<string, string>): ReadmeView {
  const method = device.methods.find((m) => m.argTs !== null) ?? device.methods[0] ?? null;
  const record = records.find((r) => method?.argTs && r.tsName === method.argTs) ?? records.find((r) => r.named) ?? null;
  const codec = record && {
    ts: record.tsName,
    init: sizeFields.has(record.tsName) ? `{ ${sizeFields.get(record.tsName)}: ${record.tsName}.size }` : '{}',
    fields: `{ ${[...record.props.slice(0, SHOWN_FIELDS).map((p) => p.name), ...(record.props.length > SHOWN_FIELDS ? ['...'] : [])].join(', ')} }`,
  };
  return {
    codec,
    device: method && {
      className: device.className,
      openArg: device.defaultPath ? '' : "'/dev/...'",
      path: device.defaultPath,
      ioctl: method.name,
      args: method.argTs ? '{}' : '',
      method: method.method,
      tryMethod: method.tryMethod,
      prepareMethod: method.argTs ? method.prepareMethod : null,
      fillsSize: method.fillSize,
      sizeField: method.sizeField,
    },
  };
}
