import { parseCsvFile } from '../csv/csv-import.js';
import type { ImportDependencies } from './api-handler.js';
import { parseCommitBody, parseImportSettings, parsePreviewQuery, parseUploadQuery } from './import-bodies.js';
import { importDraftJson, importJson, importPreviewJson } from './import-responses.js';
import { json } from './responses.js';
import { uuidSegment, type Route } from './router.js';

/** Import settings name every category of the file and may list thousands of lines. */
const MAX_IMPORT_SETTINGS_BYTES = 1024 * 1024;

/**
 * The import routes: their own Lambda on AWS (more memory for parsing, and csv-parse stays out of
 * the API Lambda's bundle and cold start); beside the others in the local server and the tests.
 */
export function importRoutes(deps: ImportDependencies): Route[] {
  return [
    { pattern: /^\/api\/imports$/, methods: {
      GET: async (r) => json(200, { items: (await deps.listImports.execute(r.userId)).map(importJson) }),
      POST: async (r) => {
        const { fileName, delimiter } = parseUploadQuery(r.query);
        const parsed = parseCsvFile(r.file(), delimiter);
        return json(201, importDraftJson(await deps.startImport.execute(r.userId, { fileName, ...parsed })));
      },
    } },
    { pattern: /^\/api\/imports\/([^/]+)$/, idOf: importId, methods: {
      GET: async (r) => json(200, importJson(await deps.getImport.execute(r.userId, r.id))),
      DELETE: async (r) => {
        const { removed, remaining } = await deps.undoImport.execute(r.userId, r.id);
        return remaining === undefined ? json(200, { removed }) : json(202, { removed, remaining });
      },
    } },
    { pattern: /^\/api\/imports\/([^/]+)\/preview$/, idOf: importId, methods: {
      POST: async (r) => {
        const settings = parseImportSettings(r.body(MAX_IMPORT_SETTINGS_BYTES));
        return json(200, importPreviewJson(await deps.previewImport.execute(r.userId, r.id, settings, parsePreviewQuery(r.query))));
      },
    } },
    { pattern: /^\/api\/imports\/([^/]+)\/commit$/, idOf: importId, methods: {
      POST: async (r) => {
        const { settings, choices } = parseCommitBody(r.body(MAX_IMPORT_SETTINGS_BYTES));
        const outcome = await deps.commitImport.execute(r.userId, r.id, settings, choices);
        return json(outcome.status === 'committed' ? 200 : 202, outcome);
      },
    } },
  ];
}

const importId = uuidSegment('import');
