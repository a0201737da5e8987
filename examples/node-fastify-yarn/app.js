'use strict';

const fastify = require('fastify')({ logger: true });

const port = Number(process.env.PORT ?? 8080);

fastify.get('/', async (request, reply) => {
  reply.type('text/plain');
  return 'Hello from node-fastify-yarn\n';
});

fastify.get('/healthz', async () => ({ status: 'ok' }));

// 0.0.0.0: Fastify listens on 127.0.0.1 by default, which a container cannot publish.
fastify.listen({ port, host: '0.0.0.0' }).catch((err) => {
  fastify.log.error(err);
  process.exit(1);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => fastify.close().then(() => process.exit(0)));
}
