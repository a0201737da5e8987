// A tiny server: the greeting comes from the sibling workspace package, built before this one.
const http = require("node:http");
const ms = require("ms");
const { greet } = require("@demo/greeting");

const port = Number(process.env.PORT || 3000);
http
  .createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`${greet("node-yarn-workspace")} (cache ${ms(60000)})\n`);
  })
  .listen(port, () => console.log(`listening on ${port}`));
