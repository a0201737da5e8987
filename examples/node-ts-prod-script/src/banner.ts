export function banner(): string {
  const compiled = __filename.endsWith(".js") ? "compiled" : "ts-node";
  return `Hello from node-ts-prod-script (${compiled})`;
}
