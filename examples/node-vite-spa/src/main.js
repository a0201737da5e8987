// Client-side routing: every path is answered with index.html by the server, and this script picks
// the view, so a deep link such as /settings/profile works on a reload.
const views = {
  "/": () => "Home",
  "/settings/profile": () => "Profile settings",
};

function render() {
  const view = views[location.pathname] ?? (() => `No page at ${location.pathname}`);
  document.getElementById("app").textContent = view();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a");
  if (link && link.origin === location.origin) {
    event.preventDefault();
    history.pushState({}, "", link.pathname);
    render();
  }
});
window.addEventListener("popstate", render);
render();
