import { createServer } from "node:http";
import { greeting } from "./app/greeting";

// Loopback unless HOST says otherwise (the container sets HOST=0.0.0.0).
const host = process.env.HOST ?? "localhost";
const port = process.env.PORT ? Number(process.env.PORT) : 3333;

const server = createServer((req, res) => {
  if (req.url === "/") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(greeting(port));
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found\n");
});

server.listen(port, host, () => console.log(`listening on ${host}:${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
