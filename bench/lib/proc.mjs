// Process sampling through /proc: CPU ticks and memory of a running process, and the exact CPU of
// this process's reaped children.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const HAS_PROC = fs.existsSync('/proc/self/stat');

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Clock ticks to milliseconds. */
export const ticksMs = (ticks) => ticks * (1000 / CLK_TCK);

/** The fields of /proc/<pid>/stat after the command name: rest[0] is field 3 (state). */
function statFields(stat) {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime+stime (clock ticks) of a process, and its VmHWM/VmRSS (kB); null once it is gone. */
export function readProc(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = statFields(stat);
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ticks = Number(rest[11]) + Number(rest[12]); // fields 14 utime, 15 stime
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => {
      const m = status.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) : null;
    };
    return { comm, ticks, hwmKb: kb('VmHWM'), rssKb: kb('VmRSS') };
  } catch {
    return null;
  }
}

/** CPU ticks of this process's reaped children (cutime+cstime): exact CPU of a finished child. */
export function reapedChildTicks() {
  try {
    const rest = statFields(fs.readFileSync('/proc/self/stat', 'utf8'));
    return Number(rest[13]) + Number(rest[14]); // fields 16 cutime, 17 cstime
  } catch {
    return null;
  }
}
