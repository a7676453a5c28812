import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The layer order of DESIGN.md ("Layering"): a file in src/<dir> may import only from its own
 * directory and from layers below it. Directories on one line are siblings: neither imports the
 * other. The sandbox is an island: it runs in its own process and imports only util and telemetry.
 */
const LAYERS = [
  ['commands'],
  ['cli'],
  ['run'],
  ['ui', 'reports'],
  ['results'],
  ['engine', 'probes', 'faults'],
  ['scenario'],
  ['targets'],
  ['metrics'],
  ['payload'],
  ['load', 'telemetry'],
  ['util'],
];
const ISLAND = { dir: 'sandbox', mayImport: ['telemetry', 'util'], importedFromLayersAbove: 'metrics' };

function restrict(dirs, message) {
  return {
    'no-restricted-imports': ['error', { patterns: dirs.map((d) => ({ group: [`**/${d}/**`, `**/${d}`], message: message(d) })) }],
  };
}

/** One rule block per source directory, generated from LAYERS. */
function layerRules() {
  const all = LAYERS.flat();
  const islandLevel = LAYERS.findIndex((l) => l.includes(ISLAND.importedFromLayersAbove));
  const blocks = [];
  LAYERS.forEach((layer, level) => {
    for (const dir of layer) {
      const forbidden = LAYERS.slice(0, level + 1).flat().filter((d) => d !== dir);
      if (level >= islandLevel) forbidden.push(ISLAND.dir);
      blocks.push({
        files: [`src/${dir}/**/*.ts`, `src/${dir}/**/*.tsx`],
        rules: restrict(forbidden, (d) => `src/${dir} must not import src/${d}: imports point down the layer order in DESIGN.md (${LAYERS.map((l) => l.join('|')).join(' → ')}). Move the shared type down, or emit an event.`),
      });
    }
  });
  blocks.push({
    files: [`src/${ISLAND.dir}/**/*.ts`],
    rules: restrict(all.filter((d) => !ISLAND.mayImport.includes(d)), (d) => `src/${ISLAND.dir} is an island (its own process): it must not import src/${d}.`),
  });
  return blocks;
}

export default tseslint.config(
  { ignores: ['.scratch/**', 'dist/**', 'node_modules/**', 'runs/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules(),
);
