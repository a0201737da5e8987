// Bundled into ../server/web/dist/app.js by `npm run build`: the Go server beside this folder embeds it.
import { greeting } from "./greeting.js";

document.getElementById("greeting").textContent = greeting("go-sibling-ui");
