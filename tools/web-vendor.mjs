// Copies the browser libraries the pages load from node_modules (pinned in package.json and package-lock.json) into
// web/vendor/, which is git-ignored: the served copy is always the locked version, never one edited by hand.
// Runs after `npm ci` (postinstall) and from ./run and ./test; `npm run web-vendor` runs it alone.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'web', 'vendor');
const libraries = [
  { name: 'chart.js', files: [['dist/chart.umd.min.js', 'chart.umd.min.js'], ['LICENSE.md', 'chart.js.LICENSE.md']] },
];

mkdirSync(target, { recursive: true });
const manifest = {};
for (const library of libraries) {
  const folder = join(root, 'node_modules', library.name);
  manifest[library.name] = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
  for (const [from, to] of library.files) copyFileSync(join(folder, from), join(target, to));
}
writeFileSync(join(target, 'versions.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`web/vendor: ${Object.entries(manifest).map(([name, version]) => `${name} ${version}`).join(', ')}`);
