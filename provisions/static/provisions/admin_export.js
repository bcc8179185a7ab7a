// The export page's "Select all" toggle, wired here instead of an inline onchange attribute,
// which the strict Content-Security-Policy refuses. onSelectToggleChange comes from
// import_export/export_selectable_fields.js, loaded with the form's media.
document.addEventListener("change", (event) => {
  if (event.target.id === "select-all-toggle") {
    onSelectToggleChange(event);
  }
});
