"use strict";
// The article form, writing first: how long the title is against what search engines show,
// and Ctrl+S (⌘S) to save and keep editing, as in every editor.
(function () {
  const SEARCH_TITLE_LENGTH = 70;

  function titleHint(title) {
    const hint = document.createElement("div");
    hint.className = "help title-hint";
    hint.setAttribute("aria-live", "polite");
    (title.closest(".flex-container") || title).insertAdjacentElement("afterend", hint);
    const update = () => {
      const length = title.value.trim().length;
      hint.textContent = `${length} из ${SEARCH_TITLE_LENGTH} знаков, которые поисковики показывают целиком`;
      hint.classList.toggle("title-hint--over", length > SEARCH_TITLE_LENGTH);
    };
    title.addEventListener("input", update);
    update();
  }

  function saveShortcut(form) {
    document.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        event.preventDefault();
        const keepEditing = form.querySelector('input[name="_continue"]');
        if (keepEditing) {
          keepEditing.click();
        } else {
          form.requestSubmit();
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("article_form");
    const title = document.getElementById("id_title");
    if (!form) return;
    if (title) titleHint(title);
    saveShortcut(form);
  });
})();
