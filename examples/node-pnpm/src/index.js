import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
const port = Number(process.env.PORT ?? 3000);

app.get('/', (c) => c.text('Hello from node-pnpm\n'));
app.get('/healthz', (c) => c.json({ status: 'ok' }));

const server = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' }, (info) => {
  console.log(`listening on ${info.port}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
