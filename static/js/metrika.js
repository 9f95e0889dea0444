// Yandex.Metrika for the site's counter, when its editors set one (the script's data-counter).
// Loaded as a file, not an inline snippet, so pages carry no inline script.
(function () {
  var script = document.currentScript;
  var counter = Number(script && script.dataset.counter);
  if (!counter) return;
  window.ym = window.ym || function () { (window.ym.a = window.ym.a || []).push(arguments); };
  window.ym.l = Date.now();
  var tag = document.createElement("script");
  tag.async = true;
  tag.src = "https://mc.yandex.ru/metrika/tag.js";
  document.head.appendChild(tag);
  window.ym(counter, "init", { clickmap: true, trackLinks: true, accurateTrackBounce: true });
})();
