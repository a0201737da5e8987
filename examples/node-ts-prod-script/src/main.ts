import { createServer } from "node:http";
import { banner } from "./banner";

/* The port: PORT, else 3200. */
const port = Number(process.env.PORT ?? 3200);

const server = createServer((req, res) => {
  if (req.url === "/") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`${banner()} on ${port}\n`);
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found\n");
});

server.listen(port, () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
