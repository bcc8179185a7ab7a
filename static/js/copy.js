// Copy buttons for citations. The buttons start hidden: without JavaScript (or without the
// Clipboard API) the citation text is still there to select by hand.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  const status = document.querySelector(".copy-status");
  for (const button of document.querySelectorAll("button.copy[data-copy-target]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copyTarget);
      try {
        await navigator.clipboard.writeText(source.textContent);
        if (status) status.textContent = "Copied.";
      } catch {
        if (status) status.textContent = "Could not copy: select the text and copy it by hand.";
      }
    });
  }
});
