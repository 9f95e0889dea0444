// The photo's focal point: a click on the photo moves the marker and fills the two fields.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-picker");
  const fieldX = document.getElementById("id_focal_x");
  const fieldY = document.getElementById("id_focal_y");
  if (!picker || !fieldX || !fieldY) return;
  const marker = picker.querySelector(".focal-picker__marker");
  const place = (x, y) => {
    marker.style.left = `${x * 100}%`;
    marker.style.top = `${y * 100}%`;
  };
  place(parseFloat(fieldX.value) || 0.5, parseFloat(fieldY.value) || 0.5);
  picker.addEventListener("click", (event) => {
    const box = picker.getBoundingClientRect();
    const x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    const y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
    fieldX.value = x.toFixed(3);
    fieldY.value = y.toFixed(3);
    place(x, y);
  });
  for (const field of [fieldX, fieldY]) {
    field.addEventListener("input", () => place(parseFloat(fieldX.value), parseFloat(fieldY.value)));
  }
});
