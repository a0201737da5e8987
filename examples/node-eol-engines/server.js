'use strict';

// Written for Node 16 (.nvmrc); dockgen builds it on the oldest Node line it still supports.
const express = require('express');

const port = Number(process.env.PORT || 3000);
const app = express();

app.get('/', (req, res) => {
  res.type('text/plain').send(`Hello from node-eol-engines on node ${process.versions.node.split('.')[0]}\n`);
});

const server = app.listen(port, () => {
  console.log(`listening on ${port}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
