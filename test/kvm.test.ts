// The kvm guest's tests (test/kernel/guest/kvm*.ts) on this host's own /dev/kvm, where it has one that this user
// may open (developers' machines and CI runners with virtualization). Skipped, saying why, where it has none: then
// only the kernel suite's kvm guest (QEMU -cpu max, SVM emulated by TCG) proves them.
import { accessSync, constants, existsSync } from 'node:fs';
import { describe, it } from 'vitest';

function whyNot(): string | null {
  if (!existsSync('/dev/kvm')) return 'this host has no /dev/kvm (no KVM module, or a VM without nested virtualization)';
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return '/dev/kvm is not readable and writable by this user (the kvm group)';
  }
  return null;
}

const reason = whyNot();
if (reason) console.log(`test/kvm.test.ts skipped: ${reason}`);

type Tests = Readonly<Record<string, () => void | Promise<void>>>;

// Imported only when they can run: they load the built package (generated/kvm/dist), which the pretest builds.
const files = reason ? [] : ['kvm', 'kvm-errors', 'kvm-longmode'];

if (reason) {
  it.skip(`kvm guests on the host's /dev/kvm: skipped, ${reason}`, () => {});
}
for (const file of files) {
  describe(`${file} on the host's /dev/kvm`, async () => {
    const { tests } = (await import(`./kernel/guest/${file}.js`)) as { tests: Tests };
    for (const [name, test] of Object.entries(tests)) {
      it(name, async (ctx) => {
        try {
          await test();
        } catch (e) {
          if (e instanceof Error && e.name === 'Skip') ctx.skip(e.message);
          throw e;
        }
      });
    }
  });
}
