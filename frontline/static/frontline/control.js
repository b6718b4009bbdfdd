// Temperature round: one idempotency key per form (a retry or a double tap on a weak
// network stores one reading), and the next empty field focused after each entry.
(function () {
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (!form) return;
    var keyField = form.querySelector("[data-idempotency]");
    if (keyField && !keyField.value) keyField.value = newKey();
    if (keyField) event.detail.parameters.idempotency_key = keyField.value;
  });
  document.addEventListener("htmx:afterSwap", function () {
    var next = document.querySelector("#round-list .temp-input.is-invalid") ||
      document.querySelector("#round-list .slot-due .temp-input, #round-list .slot-overdue .temp-input");
    if (next) next.focus();
  });
})();
