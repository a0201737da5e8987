export function greeting(port: number): string {
  return `Hello from node-nx-esbuild (Nx build) on ${port}\n`;
}
