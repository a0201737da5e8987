"use strict";
const fs = require("node:fs");
const path = require("node:path");
const flags = require("./flags");

/**
 * Where visits are kept: DATA_DIR, else --data-dir, else ./data/ (relative to the working directory).
 */
const dataDir = process.env.DATA_DIR || flags["data-dir"] || "./data/";
fs.mkdirSync(dataDir, { recursive: true });
const file = path.join(dataDir, "visits.json");

function visit() {
    const count = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")).count + 1 : 1;
    fs.writeFileSync(file, JSON.stringify({ count }));
    return count;
}

module.exports = { visit };
