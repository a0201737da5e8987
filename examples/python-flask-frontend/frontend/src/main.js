// Bundled into dist/main.js by `npm run build`; Flask serves dist/ as its static folder.
import { greeting } from "./greeting.js";

document.getElementById("greeting").textContent = greeting("python-flask-frontend");
