// A tiny A2A agent with no dependencies: serves its own agent card (A2A 0.3.0) at
// /.well-known/agent-card.json, answers GET /healthz, and echoes JSON-RPC `message/send`.
// Used as the agents of tools/cluster's end-to-end tests and by the README's demo.
//
// Environment: AGENT_NAME, AGENT_DESCRIPTION, AGENT_VERSION, AGENT_SKILL (a skill id),
// AGENT_URL (the URL clients reach this agent at; default: derived from the request's Host),
// HOST (default 127.0.0.1; the image sets 0.0.0.0) and PORT (default 8080).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const env = process.env;
const name = env.AGENT_NAME || 'demo-agent';
const skill = env.AGENT_SKILL || 'echo';
const host = env.HOST || '127.0.0.1';
const port = Number(env.PORT || 8080);

/** The agent card, in the A2A 0.3.0 form (every field the specification requires). */
function agentCard(url) {
  return {
    protocolVersion: '0.3.0',
    name,
    description: env.AGENT_DESCRIPTION || 'Echoes every message it receives (demo agent).',
    url,
    preferredTransport: 'JSONRPC',
    version: env.AGENT_VERSION || '1.0.0',
    capabilities: { streaming: false, pushNotifications: false },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: skill,
        name: skill,
        description: 'Replies with the text of the message it was sent.',
        tags: ['demo', skill],
        examples: ['hello'],
      },
    ],
  };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req, limit = 64 * 1024) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON-RPC `message/send`: answers with a message holding the text parts it was sent. */
function answer(request) {
  const id = request?.id ?? null;
  if (request?.jsonrpc !== '2.0' || typeof request.method !== 'string')
    return { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid Request' } };
  if (request.method !== 'message/send')
    return { jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } };
  const parts = request.params?.message?.parts;
  const text = Array.isArray(parts)
    ? parts
        .filter((part) => part?.kind === 'text' && typeof part.text === 'string')
        .map((part) => part.text)
        .join('\n')
    : '';
  return {
    jsonrpc: '2.0',
    id,
    result: {
      kind: 'message',
      role: 'agent',
      messageId: randomUUID(),
      parts: [{ kind: 'text', text }],
    },
  };
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://agent').pathname;
  if (req.method === 'GET' && path === '/.well-known/agent-card.json') {
    const url = env.AGENT_URL || `http://${req.headers.host ?? `${host}:${port}`}/`;
    return send(res, 200, agentCard(url));
  }
  if (req.method === 'GET' && path === '/healthz') return send(res, 200, { status: 'ok' });
  if (req.method === 'POST' && path === '/') {
    let request;
    try {
      request = JSON.parse(await readBody(req));
    } catch {
      return send(res, 200, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    return send(res, 200, answer(request));
  }
  send(res, 404, { error: 'not found' });
});

server.listen(port, host, () => console.log(`${name} listening on http://${host}:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
