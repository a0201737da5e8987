// The library's build: copies src/ to dist/ with a banner, so the server fails if the build did not run.
const fs = require("node:fs");
fs.mkdirSync("dist", { recursive: true });
const src = fs.readFileSync("src/index.js", "utf8");
fs.writeFileSync("dist/index.js", "// built by packages/greeting/build.js\n" + src);
