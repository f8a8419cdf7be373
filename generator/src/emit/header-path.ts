// How generated text names a header file: as the user gave it, relative to the config or the working folder, or,
// when that path leaves the folder (`../../usr/include/linux/foo.h`, `/usr/include/...`), by its path inside
// its include folder (`linux/foo.h`): never a path that only means something on the generating machine.
import { posix } from 'node:path';

export function publicHeaderPath(file: string): string {
  const path = posix.normalize(file.split('\\').join('/'));
  if (!path.startsWith('/') && path !== '..' && !path.startsWith('../')) return path;
  const include = path.lastIndexOf('/include/');
  return include >= 0 ? path.slice(include + '/include/'.length) : posix.basename(path);
}
