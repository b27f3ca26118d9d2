import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * PGlite has no cross-process lock: two processes on one data dir silently lose writes.
 * Exactly one process may own a data dir, so we hold an exclusive lock file beside it that
 * names its holder. A lock left by a process that no longer exists (same host) is taken over.
 * An owner that serves the database over the PostgreSQL wire protocol (db/client.ts
 * `openServedDatabase`) writes its address into the lock, and other local processes connect
 * there instead of opening the files.
 */
export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
  /** Where the owner serves this database (loopback only), when it does. */
  address?: { host: string; port: number };
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database at ${dataDir} is in use by another process: pid ${holder.pid} on ${holder.hostname} ` +
        `(${holder.command}), since ${holder.startedAt}. PGlite allows one process per data directory: ` +
        `stop that process, or point DATABASE_URL at a PostgreSQL server to share one database.`,
    );
    this.name = "DataDirLockedError";
  }
}

const held = new Map<string, string>();

export function lockFileFor(dataDir: string) {
  return path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.lock`);
}

function processIsAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(lockFile: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(lockFile, "utf8")) as LockHolder;
  } catch {
    return null;
  }
}

function isStale(holder: LockHolder | null) {
  if (!holder) return true;
  return holder.hostname === os.hostname() && holder.pid !== process.pid && !processIsAlive(holder.pid);
}

/** Takes the lock or throws DataDirLockedError naming the holder. Re-entrant within a process. */
export function acquireDataDirLock(dataDir: string, command = describeCommand()): () => void {
  const lockFile = lockFileFor(dataDir);
  if (held.has(lockFile)) return () => releaseDataDirLock(dataDir);
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });

  const me: LockHolder = { pid: process.pid, hostname: os.hostname(), command, startedAt: new Date().toISOString() };
  const tmp = `${lockFile}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(tmp, JSON.stringify(me));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // link() fails if the lock exists: an atomic "create with content".
        fs.linkSync(tmp, lockFile);
        held.set(lockFile, tmp);
        process.once("exit", () => releaseDataDirLock(dataDir));
        return () => releaseDataDirLock(dataDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = readHolder(lockFile);
        if (!isStale(holder)) throw new DataDirLockedError(dataDir, holder!);
        fs.rmSync(lockFile, { force: true });
      }
    }
    throw new DataDirLockedError(dataDir, readHolder(lockFile) ?? me);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export interface ServedDataDir {
  host: string;
  port: number;
  pid: number;
}

/** Where the live holder of `dataDir` (this process included) serves it, if it does. */
export function servedAddressFor(dataDir: string): ServedDataDir | null {
  const holder = readHolder(lockFileFor(dataDir));
  if (!holder?.address || holder.hostname !== os.hostname() || !processIsAlive(holder.pid)) return null;
  return { ...holder.address, pid: holder.pid };
}

/** Records where this process serves the data dir it holds (atomic rewrite of its lock file). */
export function recordServedAddress(dataDir: string, address: { host: string; port: number }) {
  const lockFile = lockFileFor(dataDir);
  const holder = readHolder(lockFile);
  if (!held.has(lockFile) || holder?.pid !== process.pid)
    throw new Error(`This process does not hold the lock on ${dataDir}`);
  const tmp = `${lockFile}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(tmp, JSON.stringify({ ...holder, address }));
  fs.renameSync(tmp, lockFile);
}

export function releaseDataDirLock(dataDir: string) {
  const lockFile = lockFileFor(dataDir);
  if (!held.delete(lockFile)) return;
  const holder = readHolder(lockFile);
  if (holder?.pid === process.pid) fs.rmSync(lockFile, { force: true });
}

function describeCommand() {
  // Under npm the script name is what the person typed ("npm run dev"), not Next's worker file.
  const npmScript = process.env.npm_lifecycle_event;
  const script = process.argv
    .slice(1, 3)
    .map((a) => path.basename(a))
    .join(" ");
  return npmScript ? `npm run ${npmScript}: ${script}` : script || process.title;
}
