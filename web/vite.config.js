// Build and unit-test configuration of the keipath web page.
// The page is served by `keipath serve --web build/web`, from any path, so assets use relative URLs;
// nothing is fetched from a CDN (the us-atlas map is bundled as a JSON import).
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    // Two pages: one vehicle's questions (index.html) and the policy scenarios (simulate.html).
    rollupOptions: { input: { main: 'index.html', simulate: 'simulate.html' } },
    outDir: '../build/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
    reportCompressedSize: false,
  },
  test: {
    include: ['tests/unit/**/*.test.js'],
    environment: 'node',
  },
});
