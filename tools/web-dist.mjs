// Builds the package Azure Static Web Apps serves (azd's `web` service, `npm run build`): web/ with its vendor copies,
// a config.json naming the API (the Functions app, SERVICE_API_URI from azd's environment, or --api), and a
// staticwebapp.config.json carrying the same headers the local host sends (web/headers.json), the API's origin added
// to the policy's connect-src so the pages may call it.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const option = name => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const api = option('api') ?? process.env.SERVICE_API_URI;
const out = resolve(root, option('out') ?? '.web-dist');
if (!api || !/^https?:\/\/[^/]+\/?$/.test(api)) {
  console.error('web-dist: give the API origin (--api https://func-….azurewebsites.net, or SERVICE_API_URI from `azd provision`).');
  process.exit(1);
}
const origin = new URL(api).origin;

execFileSync(process.execPath, [join(root, 'tools', 'web-vendor.mjs')], { stdio: 'inherit' });
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(root, 'web'), out, { recursive: true });

const headers = JSON.parse(readFileSync(join(root, 'web', 'headers.json'), 'utf8'));
headers['Content-Security-Policy'] = withConnectSource(headers['Content-Security-Policy'], origin);
writeFileSync(join(out, 'config.json'), `${JSON.stringify({ apiBase: origin }, null, 2)}\n`);
writeFileSync(join(out, 'staticwebapp.config.json'), `${JSON.stringify({
  globalHeaders: headers,
  mimeTypes: { '.json': 'application/json', '.mjs': 'text/javascript' },
}, null, 2)}\n`);
console.log(`web-dist: ${out} for the API at ${origin}`);

/** The policy with `source` added to its connect-src directive. */
function withConnectSource(policy, source) {
  return policy.split(';').map(part => part.trim()).filter(Boolean)
    .map(part => (part.startsWith('connect-src ') ? `${part} ${source}` : part))
    .join('; ');
}
