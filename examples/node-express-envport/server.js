'use strict';

// Settings live in config.js; the port comes from APP_PORT (default 4000), never from PORT.
const express = require('express');
const config = require('./config');

const app = express();

app.get('/', (req, res) => {
  res.type('text/plain').send(`Hello from node-express-envport on ${config.port}\n`);
});

const server = app.listen(config.port, () => {
  console.log(`listening on ${config.port}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
