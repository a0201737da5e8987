import { greeting } from "@demo/greeting";

// The server answers every path with index.html; the view comes from the path.
document.getElementById("app").textContent = greeting(location.pathname);
