// Redraw as soon as the monitor changes a choice (the form also works without this script).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.choose");
  if (!form) return;
  form.querySelectorAll("select").forEach((select) => {
    select.addEventListener("change", () => form.submit());
  });
  form.querySelector("button").hidden = true;
  document.documentElement.dataset.enhanced = "yes";
});
