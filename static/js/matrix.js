// The matrix page, enhanced. Without JavaScript the filter form submits and every state is a URL;
// this file only makes the htmx swaps behave like that: clean URLs, one history entry per
// action, columns in the order ticked, removable chips, filters open beside a wide matrix.
(() => {
  const FORM = "filters";
  const WIDE = "(min-width: 64rem)";

  // The columns, in the order of the URL now (the order the reader ticked them).
  const currentColumns = () => new URLSearchParams(location.search).getAll("j");

  document.addEventListener("htmx:config:request", (event) => {
    const ctx = event.detail.ctx;
    if (!ctx || !ctx.request || ctx.sourceElement?.id !== FORM) return;
    const body = ctx.request.body;
    if (!(body instanceof FormData)) return;
    // No empty keys (?q=&as_of=&binding=) in the URL that is requested and pushed.
    for (const key of [...new Set(body.keys())]) {
      const values = body.getAll(key).filter((value) => value !== "");
      body.delete(key);
      if (key === "j") {
        // Keep the columns already shown in their order; a newly ticked one goes last.
        const before = currentColumns().filter((code) => values.includes(code));
        values.splice(0, values.length, ...before, ...values.filter((c) => !before.includes(c)));
      }
      for (const value of values) body.append(key, value);
    }
    // The same state again (a change event after the input event that already asked for it)
    // is not a new action: no request, no second history entry.
    const wanted = new URLSearchParams(body).toString();
    if (wanted === new URLSearchParams(location.search).toString()) event.preventDefault();
  });

  // A pushed URL equal to the page's own never makes a second history entry.
  document.addEventListener("htmx:before:history:update", (event) => {
    const target = event.detail.history?.path;
    if (target && target === location.pathname + location.search) event.preventDefault();
  });

  // A chip removes its filter in place: untick the box (or clear the field) and let the form's
  // own change trigger fetch the matrix. Without JavaScript the chip is a plain link.
  document.addEventListener("click", (event) => {
    const chip = event.target.closest?.("a.chip[data-filter-name]");
    const form = document.getElementById(FORM);
    if (!chip || !form || !form.hasAttribute("data-htmx-powered")) return;
    const { filterName: name, filterValue: value } = chip.dataset;
    let control;
    if (name === "q" || name === "as_of") {
      control = form.elements[name];
      if (control) control.value = "";
    } else if (name === "binding") {
      control = document.getElementById("binding-any");
      if (control) control.checked = true;
    } else {
      control = [...form.querySelectorAll(`input[name="${CSS.escape(name)}"]`)].find(
        (input) => input.value === value,
      );
      if (control) control.checked = false;
    }
    if (!control) return;
    event.preventDefault();
    control.dispatchEvent(new Event("change", { bubbles: true }));
    // The chip is about to be swapped away: keep focus where the result is.
    document.getElementById("matrix-summary")?.focus();
  });

  const init = () => {
    // Filters open beside the matrix on a wide screen; closed on a phone, where the summary
    // grid comes first and the filters are one tap away.
    const disclosure = document.getElementById("filters-disclosure");
    if (disclosure && window.matchMedia(WIDE).matches) disclosure.open = true;
    for (const button of document.querySelectorAll("button.print-button")) {
      button.hidden = false;
    }
  };
  document.addEventListener("click", (event) => {
    if (event.target.closest?.("button.print-button")) window.print();
  });
  // The print button comes back with every swap of the matrix.
  document.addEventListener("htmx:after:swap", init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
