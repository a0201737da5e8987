// ajv 8 next to ajv-keywords 3 (whose peer range is ajv 6) installs only with .npmrc's
// legacy-peer-deps; unix-dgram is a native module compiled by node-gyp.
const http = require('http');
const Ajv = require('ajv');
const unix = require('unix-dgram');

const validate = new Ajv().compile({ type: 'object', required: ['name'] });
const port = Number(process.env.PORT || 3000);
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`Hello from node-npmrc-settings: valid ${validate({ name: 'x' })}, unix-dgram ${typeof unix.createSocket}\n`);
}).listen(port, '0.0.0.0');
