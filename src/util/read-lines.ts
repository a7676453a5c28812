import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Bytes read at a time. */
const CHUNK = 1 << 16;

/**
 * Calls `onLine` for each line of a UTF-8 text file (without its `\n`; a last line without one
 * too), reading it in 64 KiB chunks: the file is never held whole, so memory does not grow with
 * its length. Synchronous (a results directory is read once, start to end).
 */
export function readLinesSync(path: string, onLine: (line: string) => void): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const text = rest + decoder.write(buf.subarray(0, n));
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        onLine(text.slice(from, nl));
        from = nl + 1;
      }
      rest = text.slice(from);
    }
    rest += decoder.end();
    if (rest !== '') onLine(rest);
  } finally {
    closeSync(fd);
  }
}
