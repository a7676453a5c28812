// Preloaded with `node --import` into a process whose peak memory a bench reads: at exit it prints
// its own peak RSS (process.resourceUsage().maxRSS, kB) on stderr, on a line of its own.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nRUSHHOUR_BENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
