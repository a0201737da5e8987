// Development entry: compiles src/ on the fly with ts-node (a devDependency).
require("ts-node/register");
require("./src/main");
