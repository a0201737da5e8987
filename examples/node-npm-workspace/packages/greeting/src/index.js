exports.greet = (name) => `Hello from ${name}`;
