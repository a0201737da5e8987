"use strict";
// --name=value command-line flags as an object.
const flags = {};
for (const arg of process.argv.slice(2)) {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (m) {
        flags[m[1]] = m[2];
    }
}
module.exports = flags;
