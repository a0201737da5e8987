// A workspace library the Next.js app imports: traced into the standalone output.
module.exports = { greet: (who) => `Hello from ${who}` };
