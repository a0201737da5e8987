export const greeting = (who) => `bundled by esbuild beside the server for ${who}`;
