// Runs the C baseline (ioctl-loop.c, compiled by bench/run.mjs) and returns its median ns per call.
import { execFileSync } from 'node:child_process';

export interface CLoopCall {
  readonly request: number;
  readonly arg: Uint8Array;
}

export function cLoop(binary: string, path: string, iterations: number, rounds: number, expectErrno: number, first: CLoopCall, then?: CLoopCall & { from: number; to: number }): number {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const args = [path, String(iterations), String(rounds), String(expectErrno), `0x${first.request.toString(16)}`, hex(first.arg)];
  if (then) args.push(`0x${then.request.toString(16)}`, hex(then.arg), String(then.from), String(then.to));
  return Number(execFileSync(binary, args, { encoding: 'utf8' }).trim());
}
