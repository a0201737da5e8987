// The library's build: copies src/ to dist/ with a banner, so the server fails if the build did not run.
// It uses the workspace root's devDependency left-pad: the build installs the root's dependencies too.
const fs = require("node:fs");
const leftPad = require("left-pad");
fs.mkdirSync("dist", { recursive: true });
const src = fs.readFileSync("src/index.js", "utf8");
fs.writeFileSync("dist/index.js", `// ${leftPad("built", 8)} by packages/greeting/build.js\n` + src);
