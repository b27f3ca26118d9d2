// Types of scripts/start.mjs, which runs on plain Node in production (no TypeScript loader).
export function workerCount(value?: string, cores?: number): number;
export function clusterRefusal(env?: Record<string, string | undefined>): string | null;
