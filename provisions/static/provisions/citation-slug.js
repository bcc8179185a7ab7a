// Pre-fills a slug from its label by the citation convention (Art. 53(2) → art-53-2).
// The convention lives on the server (provisions/slugs.py); this asks it, so the two never
// disagree. A slug that had a value when the page loaded, or that the editor typed, is left
// alone: changing a published slug is a rename, which an editor does on purpose.
"use strict";
(function () {
  const touched = new WeakSet();
  const timers = new WeakMap();

  function slugFor(labelInput) {
    const id = labelInput.id || "";
    if (!id.endsWith("label")) return null;
    const slug = document.getElementById(id.slice(0, -"label".length) + "slug");
    return slug && slug.dataset.citationSlugUrl ? slug : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-citation-slug-url]").forEach(function (slug) {
      if (slug.value) touched.add(slug);
    });
  });

  document.addEventListener("input", function (event) {
    const target = event.target;
    if (target.dataset && target.dataset.citationSlugUrl) {
      touched.add(target); // typed by hand: keep it
      return;
    }
    const slug = slugFor(target);
    if (!slug || touched.has(slug)) return;
    clearTimeout(timers.get(slug));
    timers.set(slug, setTimeout(function () {
      const url = slug.dataset.citationSlugUrl + "?label=" + encodeURIComponent(target.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && !touched.has(slug)) slug.value = data.slug;
        })
        .catch(function () { /* the server fills an empty slug on save */ });
    }, 150));
  });
})();
