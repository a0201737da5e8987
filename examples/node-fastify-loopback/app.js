'use strict';

const fastify = require('fastify')({ logger: true });

const port = Number(process.env.PORT ?? 3030);
// Loopback unless told otherwise: safe on a laptop, unreachable in a container without LISTEN_HOST.
const host = process.env.LISTEN_HOST ?? '127.0.0.1';

fastify.get('/', async (request, reply) => {
  reply.code(401).type('text/plain');
  return 'login required (node-fastify-loopback)\n';
});

fastify.get('/public', async (request, reply) => {
  reply.type('text/plain');
  return 'Hello from node-fastify-loopback\n';
});

fastify.listen({ port, host }).catch((err) => {
  fastify.log.error(err);
  process.exit(1);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => fastify.close().then(() => process.exit(0)));
}
