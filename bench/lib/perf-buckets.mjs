// Linux `perf` for bench/kinesis-cpu.mjs --perf: records a running generator (started with node
// --perf-basic-prof, so JIT frames have names) for a while, then sorts every sample into a bucket by
// the innermost frame of its stack that belongs to a known part (rushhour's message build, its
// metrics, the SDK's serializer, SigV4, node's HTTP, …). Unlike node --cpu-prof, perf sees every
// thread and the native and kernel work below the JS frames (JSON.stringify, hashing, syscalls).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const HAS_PERF = (() => {
  try {
    return spawnSync('perf', ['record', '-e', 'cpu-clock', '-o', '/dev/null', '--', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
})();
export const PERF_HZ = 999;

/** Pids of this process's children whose command line contains `needle`. */
export function childPidsMatching(needle) {
  const out = [];
  for (const t of fs.readdirSync('/proc/self/task')) {
    let kids = '';
    try {
      kids = fs.readFileSync(`/proc/self/task/${t}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const pid of kids.trim().split(/\s+/).filter(Boolean)) {
      try {
        if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) out.push(Number(pid));
      } catch {
        /* gone */
      }
    }
  }
  return out;
}

/** `perf record` of `pid`'s threads for `seconds` (bounded: seconds + 15 s). */
export function perfRecord(pid, seconds, file) {
  return new Promise((resolve) => {
    const p = spawn('perf', ['record', '-e', 'cpu-clock', '-F', String(PERF_HZ), '-g', '-p', String(pid), '-o', file, '--', 'sleep', String(seconds)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    const kill = setTimeout(() => p.kill('SIGKILL'), (seconds + 15) * 1000);
    p.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stderrTail: err.slice(-400) });
    });
  });
}

// Checked on each frame from the leaf up; the first frame that matches a rule gives the bucket.
// GC is checked first on the whole stack (it runs inside whatever allocated). A frame of the SDK
// gives the SDK bucket of the nearest phase marker at or above it (serialize, sign, deserialize,
// HTTP handler), so its helpers (schema iterators, hashing, base64) count with the phase using them.
const GC = /Scavenger|MarkCompact|Heap::(CollectGarbage|Scavenge|PerformGarbageCollection)|MinorMarkSweep|GCTracer|ConcurrentMarking|IncrementalMarking/;
const SDK = /node_modules\/(@smithy|@aws-sdk)\/|node_modules\/base64-js\//;
const SDK_PHASES = [
  ['SDK: serialize (JSON body, base64 of Data)', /JS:[*^~]?(serializeRequest|serialize\w*|_?write\w*)\s\S*node_modules\/@(smithy|aws-sdk)\//],
  ['SDK: SigV4 (sha256 of the body, HMAC)', /signature-v4/],
  ['SDK: deserialize', /JS:[*^~]?(deserializeResponse|deserializ\w*|_?read\w*|parse\w*)\s\S*node_modules\/@(smithy|aws-sdk)\//],
  ['SDK: node-http-handler', /node-http-handler/],
];
const SDK_OTHER = 'SDK: middleware stack, endpoint, credentials, other';
const RULES = [
  ['rushhour: message build (dist/telemetry, incl. its JSON.stringify)', /\/dist\/telemetry\//],
  ['rushhour: metrics (hdr-histogram-js, dist/metrics)', /hdr-histogram|\/dist\/metrics\//],
  ['rushhour: Kinesis target + batcher (dist/targets)', /\/dist\/targets\//],
  ['rushhour: engine (dist/engine)', /\/dist\/engine\//],
  ['rushhour: other (dist/: results files, progress, …)', /file:\/\/\/\S*\/dist\//],
  ['node: fs (results files)', /node:internal\/fs|node:fs/],
  ['node: http, net, streams (incl. syscalls)', /node:_http|node:net|node:internal\/streams|node:stream|node:internal\/stream_base|llhttp|node::http|StreamBase|LibuvStreamWrap|uv__write|uv__read|uv__stream/],
  ['node: timers, microtasks, event loop (incl. epoll)', /node:internal\/timers|task_queues|uv__run_timers|RunMicrotasks|uv__io_poll|epoll|uv_run/],
];
const FLOOR_LOOP = 'bench: floor loop (kinesis-floor.mjs)';

/** The bucket of one main-thread sample (`frames`: leaf first); `floorLoop`: the frames of the floor's own loop. */
function classify(frames, floorLoop) {
  if (frames.some((f) => GC.test(f))) return 'V8 GC on the main thread';
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (SDK.test(f)) {
      for (let j = i; j < frames.length; j++) for (const [name, re] of SDK_PHASES) if (re.test(frames[j])) return name;
      return SDK_OTHER;
    }
    for (const [name, re] of RULES) if (re.test(f)) return name;
    if (floorLoop.test(f)) return FLOOR_LOOP;
  }
  return frames.some((f) => /\[kernel/.test(f)) ? 'kernel, other' : 'other (V8 runtime, node, libc)';
}

/**
 * Buckets of `perf script` output for `file`: main thread (tid = pid) by rule, other threads together.
 * `floorLoop`: the frames that count as the floor's own loop (by default, kinesis-floor.mjs's).
 */
export function perfBuckets(file, pid, floorLoop = /kinesis-floor\.mjs/) {
  const r = spawnSync('perf', ['script', '-i', file, '-F', 'tid,ip,sym,dso'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 60_000 });
  if (r.status !== 0) return { error: (r.stderr || '').slice(-400) };
  const counts = new Map();
  const leaves = new Map();
  let total = 0;
  let main = 0;
  const add = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);
  const finish = (tid, frames) => {
    if (tid === null) return;
    total++;
    if (tid !== pid) return add(counts, 'other threads (V8 GC helpers, compiler, libuv)');
    main++;
    if (frames.length) add(leaves, frames[0]);
    add(counts, classify(frames, floorLoop));
  };
  let tid = null;
  let frames = [];
  for (const line of r.stdout.split('\n')) {
    if (line === '') {
      finish(tid, frames);
      tid = null;
      frames = [];
    } else if (!line.startsWith('\t')) {
      finish(tid, frames);
      tid = Number(line.trim().split(/\s+/)[0]);
      frames = [];
    } else {
      frames.push(line.trim().replace(/^[0-9a-f]+\s+/, ''));
    }
  }
  finish(tid, frames);
  const sorted = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, samples]) => ({ name, samples, pct: total ? Math.round((1000 * samples) / total) / 10 : null }));
  return { file, hz: PERF_HZ, samples: total, mainThreadSamples: main, buckets: sorted(counts, 30), topLeaves: sorted(leaves, 15) };
}
