// The baseline: a bare node:http server answering one pre-serialised response — the status line aside,
// the same header fields and body bytes the registry sent — in its own plain `node` process.
// argv: <body file> <header fields file: a JSON object of lower-case names to values>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { answerMemoryRequests } from './memoryProbe.mjs';

const [bodyFile, headersFile] = process.argv.slice(2);
if (!bodyFile || !headersFile) {
  console.error('usage: bareServer.mjs <body file> <header fields file>');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const headers = JSON.parse(readFileSync(headersFile, 'utf8'));

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${server.address().port}` });
});
answerMemoryRequests();
process.on('disconnect', () => server.close(() => process.exit(0)));
