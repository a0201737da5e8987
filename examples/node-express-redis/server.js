// Counts hits in Redis: the connection comes from REDIS_URL (the compose file sets it).
const express = require("express");
const { createClient } = require("redis");

const client = createClient({ url: process.env.REDIS_URL });
client.on("error", (err) => console.error("redis:", err.message));

const app = express();
app.get("/", async (req, res) => {
  const hits = await client.incr("hits");
  res.type("text/plain").send(`Hello from Redis: ${hits} hits\n`);
});

const port = Number(process.env.PORT) || 3000;
client.connect().then(() => {
  app.listen(port, "0.0.0.0", () => console.log(`listening on ${port}`));
});
