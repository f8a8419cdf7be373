// Types for kernel/image.mjs (imported by test/kernel.test.ts).
export declare const buildScript: string;
export declare class KernelImageError extends Error {}
export interface KernelImage {
  readonly path: string;
  readonly source: 'UAPI_TS_KERNEL' | 'cache' | 'built';
}
export declare function cachedImagePath(): string;
export declare function findKernelImage(env?: NodeJS.ProcessEnv): KernelImage | null;
export declare function howToGetOne(): string;
export declare function resolveKernelImage(env?: NodeJS.ProcessEnv, options?: { log?: (message: string) => void }): KernelImage;
