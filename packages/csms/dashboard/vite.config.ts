// The operator dashboard's build: `vite build packages/csms/dashboard` (run by scripts/build.mjs).
// The output goes next to the compiled server, where routes/dashboard.ts serves it from.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    reportCompressedSize: false,
  },
});
