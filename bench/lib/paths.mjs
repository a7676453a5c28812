// Where things are: the repository root, autocannon, and the results folder.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(BENCH, '..');
export const AUTOCANNON = path.join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');
export const RESULTS_DIR = path.join(BENCH, 'results');
