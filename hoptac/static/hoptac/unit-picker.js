// The unit picker (geo/widgets.py): a text box that takes a unit's code, or a few letters of its
// name in either generation. Typing letters asks /units/pick/ and lists the matching units with
// level, type, parent and period; choosing one puts its code in the box (the code stays visible)
// and its label under it, then fires "change" so that filter forms refresh.
// Keys: ↓/↑ move, Enter chooses, Esc closes. No inline script: the page includes this file.
(function () {
  if (window.hoptacUnitPicker) return;
  window.hoptacUnitPicker = true;

  const CODE = /^\s*(old:)?\d{2,5}(@[0-9/-]{8,10})?\s*$/i;

  function setup(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const input = root.querySelector("input");
    const list = root.querySelector(".unit-picker-choices");
    const note = root.querySelector(".unit-picker-label");
    let timer = null;
    let active = -1;
    let results = [];
    let asked = 0;

    function url(params) {
      const query = new URLSearchParams(params);
      ["levels", "within", "generation"].forEach((key) => { if (root.dataset[key]) query.set(key, root.dataset[key]); });
      return root.dataset.url + "?" + query.toString();
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      const unit = results[index];
      if (!unit) return;
      input.value = unit.ref;
      note.textContent = unit.label;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function highlight(index) {
      const items = list.querySelectorAll("[role=option]");
      items.forEach((item, i) => {
        item.classList.toggle("active", i === index);
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function show(units) {
      results = units;
      list.replaceChildren();
      if (!units.length) {
        const empty = document.createElement("li");
        empty.className = "list-group-item small text-muted";
        empty.textContent = root.dataset.empty;
        list.append(empty);
      }
      units.forEach((unit, index) => {
        const item = document.createElement("li");
        item.className = "list-group-item list-group-item-action py-1";
        item.id = list.id + "-" + index;
        item.setAttribute("role", "option");
        const main = document.createElement("div");
        main.textContent = unit.label;
        const meta = document.createElement("div");
        meta.className = "small text-muted";
        meta.textContent = unit.level_label + " · " + unit.type_label + " · " + unit.ref;
        item.append(main, meta);
        item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(index); });
        list.append(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    async function ask(params, then) {
      const ticket = ++asked;
      try {
        const response = await fetch(url(params), { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok || ticket !== asked) return;
        then((await response.json()).results || []);
      } catch (error) {
        /* offline or refused: the box still takes a code */
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2 || CODE.test(text)) { close(); return; }
      timer = setTimeout(() => ask({ q: text }, show), 250);
    });
    input.addEventListener("change", (event) => {
      if (!event.isTrusted) return; // our own event after a choice
      const text = input.value.trim();
      if (CODE.test(text)) ask({ ref: text }, (units) => { note.textContent = units.length ? units[0].label : root.dataset.empty; });
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, results.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") close();
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }

  function setupAll(scope) { (scope || document).querySelectorAll("[data-unit-picker]").forEach(setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => setupAll());
  else setupAll();
  document.addEventListener("htmx:load", (event) => setupAll(event.target));
})();
