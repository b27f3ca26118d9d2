import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { ownerExecute } from "./bench-database";

/**
 * CPU time actually spent, read from Linux's /proc: on a machine shared with other work the
 * wall-clock rate of a run swings with the load, while the CPU seconds a server and its
 * PostgreSQL backends burn per event hardly move. Null where there is no /proc.
 */
const TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;

/** [process group, user + system CPU seconds] of one process, or null once it is gone. */
function processStat(pid: number): [number, number] | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces): state, ppid, pgrp, … utime (14th), stime (15th).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return [Number(fields[2]), (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND];
}

/** CPU seconds so far of every process in a process group (a server started by `launch` and what it started). */
function groupCpuSeconds(pgid: number): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = processStat(Number(entry));
    if (stat && stat[0] === pgid) total += stat[1];
  }
  return total;
}

/** CPU seconds so far of each PostgreSQL backend connected to the bench database (the server under test's pool). */
async function backendCpuSeconds(): Promise<Map<number, number>> {
  const { rows } = await ownerExecute<{ pid: number }>(
    sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  const seconds = new Map<number, number>();
  for (const { pid } of rows) {
    const stat = processStat(Number(pid));
    if (stat) seconds.set(Number(pid), stat[1]);
  }
  return seconds;
}

export interface CpuSpent {
  server: number;
  database: number;
}

/**
 * Starts counting the CPU of a server's process group and of the database's backends; the
 * returned function answers what both spent since. Backends that appeared meanwhile count whole.
 * PostgreSQL must run on this machine (its backends' /proc entries are read).
 */
export async function startCpuCount(pgid: number | undefined): Promise<() => Promise<CpuSpent | null>> {
  if (pgid === undefined || !fs.existsSync("/proc/self/stat")) return async () => null;
  const server = groupCpuSeconds(pgid);
  const backends = await backendCpuSeconds();
  return async () => {
    let database = 0;
    for (const [pid, now] of await backendCpuSeconds()) database += now - (backends.get(pid) ?? 0);
    return { server: groupCpuSeconds(pgid) - server, database };
  };
}
