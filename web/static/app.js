// Small progressive enhancement; every feature works without it.
// Press "/" to focus the search box.
document.addEventListener("keydown", (event) => {
  if (event.key === "/" && document.activeElement.tagName !== "INPUT") {
    const box = document.querySelector(".searchbox input[type=search]");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  }
});
