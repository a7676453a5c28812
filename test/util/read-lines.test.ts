import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLinesSync } from '../../src/util/read-lines.js';
import { tempDir } from '../support/cli.js';

function linesOf(text: string | Buffer): string[] {
  const path = join(tempDir('rushhour-lines-'), 'f.txt');
  writeFileSync(path, text);
  const out: string[] = [];
  readLinesSync(path, (l) => out.push(l));
  return out;
}

describe('readLinesSync (a file read line by line in chunks, never whole)', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a\n', ['a']],
    ['a\nb', ['a', 'b']],
    ['a\n\nb\n', ['a', '', 'b']],
  ])('%j → %j', (text, expected) => {
    expect(linesOf(text)).toEqual(expected);
  });

  it('keeps lines longer than a chunk, and multi-byte characters cut by a chunk boundary, whole', () => {
    const long = 'x'.repeat(200_000);
    // 65,535 ASCII bytes then a 4-byte emoji: the first chunk ends inside it
    const cut = `${'y'.repeat(65_535)}🚚z`;
    const lines = linesOf(`${long}\n${cut}\nend`);
    expect(lines.map((l) => l.length)).toEqual([200_000, cut.length, 3]);
    expect(lines[1]).toBe(cut);
  });
});
