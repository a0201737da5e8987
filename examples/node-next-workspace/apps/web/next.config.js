// standalone: `next build` writes a server with only the files it needs (traced from the workspace root).
module.exports = { output: "standalone" };
