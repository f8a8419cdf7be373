// The system's own header folders, searched (when asked: `--system-includes`) for what neither -I nor the
// built-in headers hold: the libc headers a UAPI header may include (<sys/time.h>, <sys/socket.h>) and the C
// compiler's (<stddef.h>). In gcc's order for x86-64 Debian/Ubuntu: the compiler's, then the multiarch folder,
// then /usr/include; for another target, Debian's cross-compiler's: its own folder, /usr/<triplet>/include (the
// cross libc and the target's asm/), then /usr/include. The compiler's folder is found on disk (the newest
// gcc's), without running a compiler.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from '../model/target.js';

const HOST_GCC_LIBS = ['/usr/lib/gcc/x86_64-linux-gnu', '/usr/lib/gcc/x86_64-redhat-linux', '/usr/lib/gcc/x86_64-pc-linux-gnu'];
const HOST_LIBC = ['/usr/local/include', '/usr/include/x86_64-linux-gnu', '/usr/include'];

// By target: the folders are looked up once per process (a tree run asks for every header).
const found = new Map<string, readonly string[]>();

export function systemIncludeDirs(target: Target): readonly string[] {
  let dirs = found.get(target.name);
  if (!dirs) found.set(target.name, (dirs = lookUp(target)));
  return dirs;
}

function lookUp(target: Target): string[] {
  const host = target.name === 'x86_64';
  const gccLibs = host ? HOST_GCC_LIBS : [`/usr/lib/gcc-cross/${target.triplet}`];
  const libc = host ? HOST_LIBC : [`/usr/${target.triplet}/include`, '/usr/include'];
  const compiler: string[] = [];
  for (const lib of gccLibs) {
    if (!existsSync(lib)) continue;
    const versions = readdirSync(lib)
      .filter((v) => /^\d+(\.\d+)*$/.test(v) && existsSync(join(lib, v, 'include', 'stddef.h')))
      .sort((a, b) => compareVersions(b, a));
    if (versions.length > 0) {
      compiler.push(join(lib, versions[0]!, 'include'));
      break;
    }
  }
  return [...compiler, ...libc.filter((d) => existsSync(d))];
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
