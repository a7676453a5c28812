#!/usr/bin/env node
// kinesalite in its own process for bench/kinesis-cpu.mjs (its CPU is then never the generator's).
// Part of a benchmark, never a test.
//
//   node bench/kinesalite-server.mjs --stream NAME [--shards N] [--max-lifetime S]
//
// Starts kinesalite on 127.0.0.1 (port 0, state in memory), creates the stream and waits until it
// is ACTIVE, then prints one line on stdout: {"port": 12345, "pid": 678, "stream": "…"}.
// Control requests (/__stats, /__reset): see bench/lib/kinesis-stats.mjs.
// Bounds: exits when stdin closes, on SIGTERM/SIGINT, or after --max-lifetime s (default 1800).

import { parseArgs } from 'node:util';
import { boundLifetime, createStats } from './lib/kinesis-stats.mjs';
import { createActiveStream, startKinesalite } from './lib/kinesalite.mjs';

const { values } = parseArgs({ options: { stream: { type: 'string', default: 'bench' }, shards: { type: 'string', default: '4' }, 'max-lifetime': { type: 'string', default: '1800' } } });
const shards = Math.max(1, Math.min(64, Math.round(Number(values.shards)) || 1));

const emu = await startKinesalite(createStats());
boundLifetime(emu.server, Number(values['max-lifetime']));
await createActiveStream(emu.endpoint, values.stream, shards);
process.stdout.write(JSON.stringify({ port: emu.port, pid: process.pid, stream: values.stream, shards }) + '\n');
