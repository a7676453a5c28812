// Reads a V8 .cpuprofile (node --cpu-prof) and sums its samples inside a time window: self time by
// frame, self time by package (or rushhour's dist/ folder), and total (inclusive) time by frame.

import fs from 'node:fs';
import { ROOT } from './paths.mjs';

function shortUrl(url) {
  let u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) return u.slice(nm + '/node_modules/'.length);
  if (u.startsWith(ROOT)) u = u.slice(ROOT.length + 1);
  const snap = u.indexOf('/rushhour-snapshot/');
  if (snap >= 0) u = u.slice(snap + '/rushhour-snapshot/'.length);
  return u;
}

/** Where a frame's code lives: a package, a dist/ folder of rushhour, node's own code, or V8's pseudo-frames. */
function groupOf(frame) {
  const url = frame.url;
  if (!url) return frame.functionName || '(native)';
  if (url.startsWith('node:')) return 'node: (built-in modules)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const d = url.indexOf('/dist/');
  if (d >= 0) {
    const parts = url.slice(d + 1).split('/');
    return `rushhour ${parts.slice(0, Math.min(2, parts.length - 1)).join('/')}`;
  }
  return shortUrl(url);
}

const frameKey = (f) => `${f.functionName || '(anonymous)'} ${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''}`.trim();

/**
 * Sums the profile's samples whose time lies in [fromMs, toMs) after the profile's start
 * (`null` bounds: the whole profile). Each sample counts for the time to the next sample.
 */
export function summarizeProfile(file, { fromMs = null, toMs = null, top = 15 } = {}) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const groups = new Map();
  const total = new Map();
  let t = 0;
  let inWindowUs = 0;
  let idleUs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const dt = i + 1 < p.timeDeltas.length ? p.timeDeltas[i + 1] : 0;
    const ms = t / 1000;
    if ((fromMs !== null && ms < fromMs) || (toMs !== null && ms >= toMs)) continue;
    const node = byId.get(p.samples[i]);
    const f = node.callFrame;
    if (f.functionName === '(idle)') {
      idleUs += dt;
      continue;
    }
    inWindowUs += dt;
    const k = frameKey(f);
    self.set(k, (self.get(k) ?? 0) + dt);
    const g = groupOf(f);
    groups.set(g, (groups.get(g) ?? 0) + dt);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const fk = frameKey(byId.get(id).callFrame);
      if (seen.has(fk)) continue;
      seen.add(fk);
      total.set(fk, (total.get(fk) ?? 0) + dt);
    }
  }
  const sorted = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, pct: inWindowUs ? Math.round((1000 * us) / inWindowUs) / 10 : null }));
  const boring = /^\((root|program)\)|^processTicksAndRejections|^listOnTimeout|^processTimers|^emit |^emitOne|^runMicrotasks/;
  return {
    file,
    windowMs: [fromMs, toMs],
    busyMs: Math.round(inWindowUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    selfByFrame: sorted(self, top),
    selfByGroup: sorted(groups, top),
    totalByFrame: sorted(new Map([...total].filter(([k]) => !boring.test(k))), top + 10),
  };
}
