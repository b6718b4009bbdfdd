// People pages: filters apply on change.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".people-search select").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
});
