// A C baseline as a process that serves every round of a benchmark: each request is a line written to its stdin,
// each answer the next line of its stdout. Starting a process per round under TCG takes long enough that rounds
// could not alternate closely; with one process, a round of C and a round of TypeScript run seconds apart at most,
// so that the host's load spells hit both sides alike.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export class BaselineProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  readonly #stderr: string[] = [];
  readonly #exited: Promise<number | null>;

  constructor(binary: string, args: readonly string[]) {
    this.#child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (d: Buffer) => this.#stderr.push(String(d)));
    this.#exited = new Promise((resolve) => this.#child.on('close', resolve));
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  /** Sends `request` and returns the answer line; an error (with its stderr) if the process ended instead. */
  async ask(request: string): Promise<string> {
    this.#child.stdin.write(`${request}\n`);
    const next = await this.#lines.next();
    if (next.done) throw new Error(`${this.#child.spawnfile} ended (exit ${await this.#exited}): ${this.#stderr.join('').trim()}`);
    return next.value;
  }

  /** Ends its input, so that it exits; an error if it did not exit with 0. */
  async close(): Promise<void> {
    this.#child.stdin.end();
    const code = await this.#exited;
    if (code !== 0) throw new Error(`${this.#child.spawnfile} exited with ${code}: ${this.#stderr.join('').trim()}`);
  }
}
