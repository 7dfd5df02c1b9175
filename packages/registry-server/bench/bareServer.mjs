// The baseline: a bare node:http server answering one pre-serialised body (the same bytes and content
// type the registry returns), in its own plain `node` process. argv: <body file> [content type]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { answerMemoryRequests } from './memoryProbe.mjs';

const [bodyFile, contentType = 'application/json'] = process.argv.slice(2);
if (!bodyFile) {
  console.error('usage: bareServer.mjs <body file> [content type]');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const headers = { 'content-type': contentType, 'content-length': String(body.byteLength) };

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${server.address().port}` });
});
answerMemoryRequests();
process.on('disconnect', () => server.close(() => process.exit(0)));
