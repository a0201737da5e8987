"use strict";
// Flags first (--port=N), then the variables, then the default.
const flags = require("./flags");

const port = [flags.port, process.env.WRITES_APP_PORT, process.env.PORT, 3001]
    .map((value) => parseInt(value, 10))
    .find((value) => !Number.isNaN(value));

module.exports = { port };
