// Runs inside the QEMU guest (see init.sh): opens /dev/iommu through koffi and
// issues IOMMU_IOAS_ALLOC / IOMMU_DESTROY. Prints one line per test and a
// final "UAPI-TS-RESULT {json}" line that boot.mjs parses on the host.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '.deps', 'package.json'));

const results = [];
function record(name, ok, detail) {
  results.push({ name, ok, ...detail });
  console.log(`UAPI-TS-TEST ${ok ? 'ok' : 'FAIL'} ${name} ${JSON.stringify(detail)}`);
}

function finish() {
  const failed = results.filter((r) => !r.ok).length;
  console.log('UAPI-TS-RESULT ' + JSON.stringify({ passed: results.length - failed, failed, results }));
  process.exitCode = failed ? 1 : 0;
}

try {
  const koffi = require('koffi');
  const libc = koffi.load('libc.so.6');
  const open = libc.func('int open(const char *, int)');
  const close = libc.func('int close(int)');
  const ioctl = libc.func('int ioctl(int, unsigned long, void *)');
  const strerror = libc.func('const char *strerror(int)');

  const O_RDWR = 2;
  const IOMMUFD_TYPE = 0x3b; // ';'
  const IOMMU_DESTROY = (IOMMUFD_TYPE << 8) | 0x80;
  const IOMMU_IOAS_ALLOC = (IOMMUFD_TYPE << 8) | 0x81;

  const fd = open('/dev/iommu', O_RDWR);
  const openErrno = fd < 0 ? koffi.errno() : 0;
  record('open /dev/iommu', fd >= 0, { fd, errno: openErrno, error: openErrno ? strerror(openErrno) : undefined });

  if (fd >= 0) {
    // struct iommu_ioas_alloc { __u32 size; __u32 flags; __u32 out_ioas_id; }
    const alloc = Buffer.alloc(12);
    alloc.writeUInt32LE(12, 0);
    alloc.writeUInt32LE(0, 4);
    alloc.writeUInt32LE(0xffffffff, 8);
    const t0 = process.hrtime.bigint();
    const rc = ioctl(fd, IOMMU_IOAS_ALLOC, alloc);
    const ns = Number(process.hrtime.bigint() - t0);
    const err = rc < 0 ? koffi.errno() : 0;
    const ioasId = alloc.readUInt32LE(8);
    record('IOMMU_IOAS_ALLOC', rc === 0 && ioasId !== 0xffffffff && ioasId !== 0, {
      rc, errno: err, error: err ? strerror(err) : undefined, out_ioas_id: ioasId, ns,
    });

    if (rc === 0) {
      // struct iommu_destroy { __u32 size; __u32 id; }
      const destroy = Buffer.alloc(8);
      destroy.writeUInt32LE(8, 0);
      destroy.writeUInt32LE(ioasId, 4);
      const rc2 = ioctl(fd, IOMMU_DESTROY, destroy);
      const err2 = rc2 < 0 ? koffi.errno() : 0;
      record('IOMMU_DESTROY', rc2 === 0, { rc: rc2, errno: err2, error: err2 ? strerror(err2) : undefined, id: ioasId });

      // Destroying it again must fail with ENOENT (2).
      const rc3 = ioctl(fd, IOMMU_DESTROY, destroy);
      const err3 = rc3 < 0 ? koffi.errno() : 0;
      record('IOMMU_DESTROY twice -> ENOENT', rc3 === -1 && err3 === 2, { rc: rc3, errno: err3, error: err3 ? strerror(err3) : undefined });
    }
    close(fd);
  }
} catch (e) {
  record('harness', false, { error: String(e && e.stack || e) });
}
finish();
