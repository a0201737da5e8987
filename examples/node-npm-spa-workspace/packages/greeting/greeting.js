export function greeting(page) {
  return `Greetings from the workspace library, on ${page}`;
}
