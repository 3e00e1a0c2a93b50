import { defineConfig } from '@hey-api/openapi-ts';

// `npm run generate` writes src/client from openapi.json (scripts/export-openapi writes that).
// The lint check points both at a temporary folder to see whether the committed ones are stale.
export default defineConfig({
  input: process.env.OPENAPI_INPUT ?? 'openapi.json',
  output: process.env.OPENAPI_OUTPUT ?? 'src/client',
  plugins: ['@hey-api/typescript', '@hey-api/sdk', '@hey-api/client-fetch'],
});
