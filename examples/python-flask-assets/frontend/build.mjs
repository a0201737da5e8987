// The "frontend build": writes static/app.css from frontend/app.css (a stand-in for vite/rollup,
// which would need packages from the registry). Flask serves static/ itself.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

mkdirSync("static", { recursive: true });
const css = readFileSync("frontend/app.css", "utf8").replace(/\s+/g, " ").trim();
writeFileSync("static/app.css", `/* built by the assets stage */ ${css}\n`);
