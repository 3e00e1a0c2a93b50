import { defineConfig } from '@hey-api/openapi-ts';

// `npm run generate` writes src/client from openapi.json (scripts/export-openapi writes that).
// The lint check points both at a temporary folder to see whether the committed ones are stale.
export default defineConfig({
  input: process.env.OPENAPI_INPUT ?? 'openapi.json',
  output: process.env.OPENAPI_OUTPUT ?? 'src/client',
  // Lists page with `cursor` only: `start` (a default keyword) is the summary's range, not a page.
  parser: { pagination: { keywords: ['cursor'] } },
  plugins: [
    '@hey-api/typescript',
    '@hey-api/sdk',
    // Every call throws its error body, so `data` is never undefined; queries need that too.
    { name: '@hey-api/client-fetch', throwOnError: true },
    '@tanstack/react-query',
  ],
});
