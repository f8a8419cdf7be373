// The conventions a header gets where its profile says nothing: those most Linux UAPI headers share.
import type { ProfileData } from '../conventions/profile.js';

export const GENERIC_PROFILE: ProfileData = {
  hooks: 'kernel-doc',
  device: null,
  docs: null,
  // A leading `__u32 size` holding sizeof the struct: the kernel's usual rule for structs that grow at the end.
  extension: 'size',
  reserved: '^__reserved\\d*$',
  methodPrefix: null,
  argFromComment: false,
  returns: {},
  ioctlArgs: {},
  ignoreDocRefs: [],
  pointers: {},
  values: [],
  related: {},
  handles: [],
  valueArgs: {},
  flexArrays: {},
  grow: {},
  capabilityChains: {},
};
