export const greeting = (who) => `bundled by esbuild for ${who}`;
