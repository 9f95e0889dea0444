"use strict";
// The body editor (django-prose-editor) in Russian. It ships no Russian catalogue: its dialogs
// ask `window.gettext`, which this wraps before the editor's module runs, and its toolbar
// buttons carry English titles, which are replaced as the toolbar appears.
(function () {
  const PHRASES = {
    "Add caption": "Добавить подпись",
    "Alternative Text": "Описание для незрячих",
    "Browse...": "Выбрать…",
    Bullets: "Маркеры",
    Cancel: "Отмена",
    Caption: "Подпись",
    Columns: "Столбцы",
    "Decimal numbers": "1, 2, 3",
    "Edit Figure": "Изменить иллюстрацию",
    "Edit HTML": "Править HTML",
    "Edit Image": "Изменить изображение",
    "Edit Link": "Ссылка",
    "Image URL": "Адрес изображения",
    "Include header row": "Со строкой заголовков",
    "Insert Figure": "Вставить иллюстрацию",
    "Insert Table": "Вставить таблицу",
    Insert: "Вставить",
    "List properties": "Свойства списка",
    "List type": "Вид списка",
    "Lowercase Roman numerals": "i, ii, iii",
    "Lowercase letters": "a, b, c",
    "Open in new window": "Открывать в новом окне",
    Prettify: "Выровнять",
    "Remove caption": "Убрать подпись",
    Rows: "Строки",
    "Start at": "Начать с",
    "Table Properties": "Свойства таблицы",
    "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.":
      "HTML текста. Сохранится только то, что разрешено в статьях.",
    Title: "Всплывающая подсказка",
    "Toggle fullscreen": "Во весь экран",
    URL: "Адрес",
    Update: "Сохранить",
    "Uppercase Roman numerals": "I, II, III",
    "Uppercase letters": "A, B, C",
  };
  const TITLES = {
    bold: "Полужирный",
    italic: "Курсив",
    strike: "Зачёркнутый",
    underline: "Подчёркнутый",
    subscript: "Нижний индекс",
    superscript: "Верхний индекс",
    paragraph: "Абзац",
    "unordered list": "Маркированный список",
    "ordered list": "Нумерованный список",
    blockquote: "Цитата",
    "horizontal rule": "Горизонтальная линия",
    "insert link": "Вставить ссылку",
    "remove link": "Убрать ссылку",
    "Insert table": "Вставить таблицу",
    "Merge cells": "Объединить ячейки",
    "Add column": "Добавить столбец",
    "Delete column": "Удалить столбец",
    "Add row": "Добавить строку",
    "Delete row": "Удалить строку",
    "Toggle header cell": "Ячейка заголовка",
    "Delete table": "Удалить таблицу",
    "Split cell": "Разделить ячейку",
    figure: "Иллюстрация",
    undo: "Отменить",
    redo: "Повторить",
    "edit HTML": "Править HTML",
    "Code block": "Блок кода",
    Code: "Код",
    HTML: "HTML",
    Styles: "Стили",
  };
  // The block type menu's entries.
  const OPTIONS = { Paragraph: "Абзац" };
  for (let level = 1; level <= 6; level++) OPTIONS[`Heading ${level}`] = `Заголовок ${level}`;

  const original = window.gettext || ((text) => text);
  window.gettext = (text) => PHRASES[text] || original(text);

  function translateMenus() {
    document.querySelectorAll("button[title]").forEach((button) => {
      const russian = TITLES[button.title];
      if (russian) {
        button.title = russian;
        button.setAttribute("aria-label", russian);
      }
    });
    document.querySelectorAll('[class*="menubar"] :is(p, h1, h2, h3, h4, h5, h6)').forEach((option) => {
      const russian = OPTIONS[option.textContent];
      if (russian) option.textContent = russian;
    });
  }

  let pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      translateMenus();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    translateMenus();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
})();
