import { readdirSync, readFileSync } from 'node:fs';

// /proc/<pid>/stat counts in clock ticks; USER_HZ is 100 on every Linux we run on.
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** utime + stime */
  self: number;
  /** cutime + cstime: children already reaped (exited backends land here) */
  reaped: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    ppid: Number(fields[1]),
    self: Number(fields[11]) + Number(fields[12]),
    reaped: Number(fields[13]) + Number(fields[14]),
  };
}

/** CPU seconds used so far by one process, or by a process and its direct children (a postmaster and its backends). */
export function cpuSeconds(pid: number, withChildren = false): number {
  const root = readStat(pid);
  if (!root) return 0;
  let ticks = root.self;
  if (withChildren) {
    ticks += root.reaped;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (stat && stat.ppid === pid) ticks += stat.self;
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds of this process (the load generator), from the runtime's own counter. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
