"use strict";
// Typing survives a closed tab or a crashed browser: every 20 seconds, and when the page is
// left, the article form keeps a private copy of its text in this browser (localStorage; never
// sent anywhere), and reopening the article offers to put it back. A copy put back is saved like
// any edit, with the version it was started from, so the server's version check refuses it
// rather than overwrite a colleague's newer save.
(function () {
  const EVERY_MS = 20000;
  const TEXT_FIELDS = ["title", "lead"];
  // The body's editor announces itself when it is ready, possibly before this page's DOM is.
  const editors = new Map();
  document.addEventListener("prose-editor:ready", (event) => {
    editors.set(event.detail.textarea, event.detail.editor);
  });

  function fieldsOf(form) {
    return {
      title: form.querySelector("#id_title"),
      lead: form.querySelector("#id_lead"),
      body: form.querySelector("#id_body"),
      version: form.querySelector("#id_base_version"),
    };
  }

  function valuesOf(fields) {
    return {
      title: fields.title ? fields.title.value : "",
      lead: fields.lead ? fields.lead.value : "",
      body: fields.body ? fields.body.value : "",
    };
  }

  function same(a, b) {
    return a.title === b.title && a.lead === b.lead && a.body === b.body;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("article_form");
    if (!form) return;
    const fields = fieldsOf(form);
    if (!fields.title || !fields.body) return;
    const user = document.querySelector("#user-tools strong");
    const key = `newsroom-autosave:${user ? user.textContent.trim() : ""}:${location.pathname}`;
    const opened = valuesOf(fields);

    let submitted = false;

    function keep() {
      if (submitted) return;
      const now = valuesOf(fields);
      if (same(now, opened)) return;
      const copy = { ...now, version: fields.version ? fields.version.value : "", at: Date.now() };
      try {
        localStorage.setItem(key, JSON.stringify(copy));
      } catch (error) {
        // A full or disabled storage: the form still saves as usual.
      }
    }

    function putBack(copy) {
      for (const name of TEXT_FIELDS) {
        if (fields[name]) fields[name].value = copy[name];
      }
      fields.title.dispatchEvent(new Event("input"));
      fields.body.value = copy.body;
      const bodyEditor = editors.get(fields.body);
      if (bodyEditor) bodyEditor.commands.setContent(copy.body, true);
      if (fields.version && copy.version) fields.version.value = copy.version;
    }

    let stored = null;
    try {
      stored = JSON.parse(localStorage.getItem(key) || "null");
    } catch (error) {
      stored = null;
    }
    if (stored && !same(stored, opened)) {
      const notice = document.createElement("div");
      notice.className = "autosave-notice";
      notice.setAttribute("role", "status");
      const time = new Date(stored.at).toLocaleString("ru-RU", {
        day: "2-digit",
        month: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      });
      notice.textContent = `В этом браузере осталась несохранённая правка от ${time}. `;
      const restore = document.createElement("button");
      restore.type = "button";
      restore.className = "button";
      restore.textContent = "Вернуть её";
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button";
      discard.textContent = "Удалить";
      restore.addEventListener("click", () => {
        putBack(stored);
        notice.textContent = "Правка возвращена в форму. Сохраните статью, чтобы она не пропала.";
      });
      discard.addEventListener("click", () => {
        localStorage.removeItem(key);
        notice.remove();
      });
      notice.append(restore, " ", discard);
      form.prepend(notice);
    }

    setInterval(keep, EVERY_MS);
    window.addEventListener("pagehide", keep);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") keep();
    });
    form.addEventListener("submit", () => {
      submitted = true;
      localStorage.removeItem(key);
    });
  });
})();
