// Needs ajv 8 and ajv-keywords 3 (peer: ajv 6): installable only with .npmrc's legacy-peer-deps,
// and that .npmrc also holds a registry token.
const http = require('http');
const Ajv = require('ajv');

const validate = new Ajv().compile({ type: 'object', required: ['name'] });
const port = Number(process.env.PORT || 3000);
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`Hello from node-npmrc-token: valid ${validate({ name: 'x' })}\n`);
}).listen(port, '0.0.0.0');
