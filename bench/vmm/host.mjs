#!/usr/bin/env node
// The VMM hot loop on this machine's own /dev/kvm: the baseline issue 18 names (the same loop from C on the host),
// where the bench guest's run is nested KVM under TCG. The measuring is the bench guest's (bench-vmm.ts: rounds
// alternating with the C loop of bench/guest/kvm-loop.c, the heap watched over 1e6 TypeScript exits); this runs
// it here and prints it as the guest's figures are printed.
//
//   node bench/vmm/host.mjs SUITE KVM_LOOP [--json FILE]
//
// SUITE: the guest suite compiled (tsc -p test/kernel/guest --outDir SUITE; its modules import the generated
// packages' dist/ by relative path, so SUITE sits two folders below the repository, as test/.out/NAME does);
// KVM_LOOP: kvm-loop.c compiled. Without /dev/kvm the figures say why (`skipped`); exit status 1 when the loop
// could not be measured, with the error in the JSON.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { printVmm } from '../../test/kernel/bench-guests.mjs';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const json = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
if (args.length !== 2 || (jsonAt >= 0 && !json)) {
  console.error('usage: node bench/vmm/host.mjs SUITE KVM_LOOP [--json FILE]');
  process.exit(2);
}
const [suite, cLoop] = args.map((a) => path.resolve(a));
const { measureVmm } = await import(pathToFileURL(path.join(suite, 'bench-vmm.js')).href);

let figures;
try {
  figures = await measureVmm(cLoop, 'host');
} catch (e) {
  figures = { error: String(e?.message ?? e) };
}
printVmm(figures, "this host's /dev/kvm");
if (json) writeFileSync(json, `${JSON.stringify(figures, null, 2)}\n`);
process.exit(figures.error ? 1 : 0);
