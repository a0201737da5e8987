// Bundled into dist/app.js by `npm run build`; the Go server embeds dist/ and serves it at /.
import { greeting } from "./greeting.js";

document.getElementById("greeting").textContent = greeting("go-embed-ui");
