import { parentPort } from 'node:worker_threads';
import type { GenerateOptions } from '@agent-registry/card-generator';
import { parseManifestFileToJson } from './manifestFile.js';

/** A parse request from {@link ManifestParser}; the answer is the file's ManifestFileResult. */
export interface ParseRequest {
  id: number;
  file: string;
  text: string;
  options: GenerateOptions;
}

// The worker thread of ManifestParser: big files are parsed here so the event loop stays free.
// `ready` once the modules are loaded: the parser's time limit counts from there.
parentPort?.postMessage({ ready: true });
// The result goes back as JSON text: the receiving thread's JSON.parse shares the strings a
// structured clone would copy per card (about a fifth less heap for the cards a registry keeps).
// Each card's JSON is made once, when its size is checked, and the text is assembled from those.
parentPort?.on('message', (request: ParseRequest) => {
  parentPort?.postMessage({
    id: request.id,
    result: parseManifestFileToJson(request.file, request.text, request.options),
  });
});
