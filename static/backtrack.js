// backtrack's one script, and nothing needs it to read a page: hovering or
// focusing an annotation in the text, a timeline entry, a mark in the
// timeline graphic or a reaction highlights the others that stand for the
// same entry or reaction, and takes the highlight away on leaving. It also
// shows the embed snippet's Copy button, where the browser lets a page copy
// (without it, the snippet is selected and copied by hand).
(() => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) continue;
    const status = button.parentElement.querySelector("[role=status]");
    const say = (text) => { if (status) status.textContent = text; };
    field.addEventListener("focus", () => field.select());
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(
        () => say("Copied."),
        () => { field.select(); say("Select the code and copy it by hand."); }
      );
    });
    button.hidden = false;
  }

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
