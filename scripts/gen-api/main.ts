// npm run gen:api — writes apps/web/src/api/openapi.gen.ts from the gateway's /openapi.json.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GENERATED_FILE, renderWebApiTypes } from './render.js';
import { servedOpenApiDocument } from './served-document.js';

const source = await renderWebApiTypes(await servedOpenApiDocument());
await writeFile(GENERATED_FILE, source);
console.log(`wrote ${fileURLToPath(GENERATED_FILE)}`);
