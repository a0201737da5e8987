"use strict";
const http = require("node:http");
const { port } = require("./config");
const { visit } = require("./store");

const server = http.createServer((req, res) => {
    if (req.url === "/") {
        const n = visit();
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(`Hello from node-writes-data on ${port}: ${n} visits in data/visits.json\n`);
        return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
});

server.listen(port, () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
