import { createServer } from "node:http";
import { settings } from "./settings";

const server = createServer((req, res) => {
  if (req.url === "/") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`Hello from node-ts-build-start (compiled) on ${settings.port}\n`);
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found\n");
});

server.listen(settings.port, () => console.log(`listening on ${settings.port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
