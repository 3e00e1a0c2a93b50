import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves the build at /console from the Python package `console` (console/dist).
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: '../console/dist',
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` on :5173 talks to `python server.py` on :8000.
    proxy: Object.fromEntries(
      ['/auth', '/app', '/apps'].map((path) => [path, 'http://127.0.0.1:8000']),
    ),
  },
});
