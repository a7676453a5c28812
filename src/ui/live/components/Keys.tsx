import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { LiveState } from '../live-state.js';
import { KEY_HELP } from '../keys.js';
import { Line } from './line.js';

export const KEYS_LINE = 'f faults  p pause  + / - rate ±10%  q quit  ? keys';

/** The help box's height in rows (a round border, a title, the keys). */
export const HELP_ROWS = KEY_HELP.length + 3;

export function keysLines(s: LiveState): ReactElement[] {
  const text = s.mode === 'faults' ? '1–9 start/stop  esc close  ? keys' : s.mode === 'help' ? 'esc close' : KEYS_LINE;
  return [<Line key="keys" color="gray">{text}</Line>];
}

/** The latest ui-notice (why a key did not apply); none before the first. */
export function noticeLines(s: LiveState): ReactElement[] {
  return s.notice ? [<Line key="notice" color="yellow">{`» ${s.notice.text}`}</Line>] : [];
}

export function HelpBox({ width }: { width: number }): ReactElement {
  return (
    <Box key="help" flexDirection="column" borderStyle="round" width={width} paddingX={1}>
      <Text bold wrap="truncate">keys</Text>
      {KEY_HELP.map(([k, what]) => <Text key={k} wrap="truncate">{`${k.padEnd(11)}${what}`}</Text>)}
    </Box>
  );
}
