// Small page behaviours declared in the markup with data- attributes, so that pages need no inline
// script or event handler (the Content-Security-Policy allows scripts from our own files only).
//   data-autosubmit            on a <select>: submit its form when the choice changes
//   data-navigate="URL/0/"     on a <select>: go to URL with /0/ replaced by the chosen value
//   data-check-all="SELECTOR"  on a checkbox: check or uncheck every box matching SELECTOR
//   data-show="ID"             on a button: reveal the element ID (e.g. a spinner) when clicked
//   data-width="NN"            on a progress bar: its width in percent
//   data-confirm="QUESTION"    on a <form>: ask QUESTION before it is sent (submit, undo, approve)
//   data-focus-on-load         on an error summary: focus it when the page opens
// and wide tables are put in a scrolling box (wrapTables, below).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit]")) el.form.submit();
  if (el.matches("select[data-navigate]")) window.location.href = el.dataset.navigate.replace("/0/", "/" + encodeURIComponent(el.value) + "/");
  if (el.matches("input[data-check-all]")) document.querySelectorAll(el.dataset.checkAll).forEach((box) => { box.checked = el.checked; });
});
document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-show]");
  if (el) document.getElementById(el.dataset.show)?.classList.remove("d-none");
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
function applyWidths(root) {
  root.querySelectorAll("[data-width]").forEach((bar) => { bar.style.width = Math.max(0, Math.min(100, parseFloat(bar.dataset.width) || 0)) + "%"; });
}
document.addEventListener("DOMContentLoaded", () => applyWidths(document));
// After an outerHTML swap the event's target is the element that left the page: look at the page.
document.addEventListener("htmx:afterSettle", () => applyWidths(document));
// data-focus-on-load on an error summary: move the focus there, so a screen reader reads it first.
document.addEventListener("DOMContentLoaded", () => document.querySelector("[data-focus-on-load]")?.focus());
// Wide tables scroll inside their own box instead of pushing the page sideways on a phone: each
// table not already in a .table-responsive gets one (reachable by keyboard when it does scroll).
function wrapTables(root) {
  root.querySelectorAll("main table.table").forEach((table) => {
    if (table.closest(".table-responsive")) return;
    const box = document.createElement("div");
    box.className = "table-responsive";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
  root.querySelectorAll("main .table-responsive").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      const caption = box.querySelector("caption")?.textContent || box.closest("section")?.querySelector("h2, h3")?.textContent;
      if (caption) box.setAttribute("aria-label", caption.trim());
    }
  });
}
document.addEventListener("DOMContentLoaded", () => wrapTables(document));
document.addEventListener("htmx:afterSwap", () => wrapTables(document));
