// A native module (diskusage, compiled by node-gyp at install time) and a dependency patched by
// patch-package (patches/ms+2.1.3.patch adds ms.patched): both must be right in the image.
const http = require('http');
const ms = require('ms');
const disk = require('diskusage');

const port = Number(process.env.PORT || 3000);
http.createServer((req, res) => {
  const total = disk.checkSync('/').total;
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`Hello from node-husky-patch-native: ${ms.patched || 'unpatched'}, disk ${total > 0 ? 'ok' : 'unknown'}\n`);
}).listen(port, '0.0.0.0');
