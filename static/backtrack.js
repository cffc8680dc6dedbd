// backtrack's one script, and nothing needs it to read a page: hovering or
// focusing an annotation in the text, a timeline entry, a mark in the
// timeline graphic or a reaction highlights the others that stand for the
// same entry or reaction, and takes the highlight away on leaving.
(() => {
  const parts = "a.annotation, a.tl-mark, li.entry, li.reaction";
  // The id of the entry or reaction an element stands for.
  const idOf = (element) => {
    const part = element.closest && element.closest(parts);
    if (!part) return null;
    if (part.matches("li")) return part.id;
    const href = part.getAttribute("href") || "";
    return href.startsWith("#") ? href.slice(1) : null;
  };
  const related = (id) => {
    const quoted = CSS.escape("#" + id);
    return document.querySelectorAll(
      `#${CSS.escape(id)}, a.annotation[href="${quoted}"], a.tl-mark[href="${quoted}"]`
    );
  };
  let lit = [];
  const light = (event) => {
    const id = idOf(event.target);
    for (const element of lit) element.classList.remove("is-linked");
    lit = id ? Array.from(related(id)) : [];
    for (const element of lit) element.classList.add("is-linked");
  };
  const dim = () => {
    for (const element of lit) element.classList.remove("is-linked");
    lit = [];
  };
  document.addEventListener("mouseover", light);
  document.addEventListener("focusin", light);
  document.addEventListener("mouseout", dim);
  document.addEventListener("focusout", dim);
})();
