import type { PackageConfig } from '../config.js';
import type { Warning } from '../diagnostics.js';
export function generatePackages(_p: readonly PackageConfig[], _progress: (l: string) => void): { warnings: Warning[] }[] { return []; }
