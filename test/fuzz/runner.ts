// Runs in-process cases in one child process (worker.mjs) under a time bound: a case that takes longer is a
// hang, and the child is killed and replaced. One child at a time: the machine is shared.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CaseRequest {
  readonly header: string;
  readonly includeDirs: readonly string[];
  readonly hints: string | undefined;
  /** The targets to render for (the package's config `targets`), or undefined for the default ones. */
  readonly targets?: readonly string[] | undefined;
  readonly render: boolean;
}

export interface ErrorLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly reason: string;
}

export type Outcome =
  | { readonly kind: 'ok'; readonly json: ModelJson; readonly docs: unknown; readonly files: number; readonly broken: readonly string[] }
  | { readonly kind: 'header-error'; readonly stage: string; readonly errors: readonly ErrorLoc[] }
  | { readonly kind: 'crash'; readonly stage: string; readonly name: string; readonly message: string; readonly stack: string }
  | { readonly kind: 'timeout'; readonly ms: number }
  | { readonly kind: 'died'; readonly code: number | null; readonly signal: string | null; readonly stderr: string };

/** The parts of `uapi-ts ir` JSON the oracle reads. */
export interface ModelJson {
  readonly warnings: readonly { readonly file: string; readonly line: number; readonly col: number; readonly message: string }[];
  readonly [key: string]: unknown;
}

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

export class CaseRunner {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private stderr = '';
  private nextId = 1;

  constructor(
    private readonly root: string,
    private readonly timeoutMs: number,
  ) {}

  private start(): Promise<void> {
    this.stderr = '';
    // stdin stays an open pipe: a header that includes /dev/stdin then blocks (and is caught as a hang)
    // instead of reading an empty file.
    const child = fork(WORKER, [], { cwd: this.root, stdio: ['pipe', 'ignore', 'pipe', 'ipc'], serialization: 'advanced', execArgv: ['--max-old-space-size=2048'] });
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.child = child;
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`fuzz worker exited (${code}) before it was ready: ${this.stderr}`)));
    });
  }

  async run(req: CaseRequest): Promise<Outcome> {
    if (!this.child) this.ready = this.start();
    await this.ready;
    const child = this.child!;
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const done = (o: Outcome): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(o);
      };
      const onMessage = (msg: { id?: number; outcome?: Outcome }): void => {
        if (msg.id === id) done(msg.outcome!);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        this.child = null;
        done({ kind: 'died', code, signal, stderr: this.stderr });
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        child.kill('SIGKILL');
        this.child = null;
        done({ kind: 'timeout', ms: this.timeoutMs });
      }, this.timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ id, req });
    });
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }
}
