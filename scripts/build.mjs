// Builds every package in dependency order: TypeScript project references, then the dashboard if present.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(cmd, args) {
  const started = Date.now();
  process.stdout.write(`build: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) process.exit(r.status ?? 1);
  process.stdout.write(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

run(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.json']);
if (existsSync('packages/csms/dashboard/vite.config.ts')) {
  // Vite strips types without checking them; the dashboard's own tsconfig checks them first.
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'packages/csms/dashboard']);
  run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'packages/csms/dashboard']);
}
