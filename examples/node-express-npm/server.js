'use strict';

const express = require('express');

const app = express();
const port = Number(process.env.PORT || 3000);

app.get('/', (req, res) => {
  res.type('text/plain').send('Hello from node-express-npm\n');
});

app.get('/healthz', (req, res) => {
  res.json({ status: 'ok' });
});

const server = app.listen(port, '0.0.0.0', () => {
  console.log(`listening on ${port}`);
});

// Stop cleanly on `docker stop`.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
