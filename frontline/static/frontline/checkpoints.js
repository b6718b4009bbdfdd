// The barrier screen: plate field only for vehicles, focus on the field to type next,
// a fever hint while typing, and 422 answers swapped in so errors show where they belong.
(function () {
  "use strict";

  function parseTemperature(text) {
    // Full-width digits and point, as the server accepts them.
    var ascii = (text || "").replace(/[\uFF10-\uFF19\uFF0E]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0xFEE0);
    });
    var value = parseFloat(ascii.replace(/[℃°cC度\s]/g, ""));
    return isNaN(value) ? null : value;
  }

  function setup(root) {
    var form = root.querySelector(".passer-form");
    if (!form) { return; }
    var plate = form.querySelector(".plate-field");
    var temperature = form.querySelector("#id_temperature");
    var hint = form.querySelector(".fever-hint");
    var threshold = parseFloat(form.dataset.fever || "37.3");

    function kind() {
      var checked = form.querySelector("input[name=kind]:checked");
      return checked ? checked.value : "person";
    }
    form.querySelectorAll("input[name=kind]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        plate.hidden = kind() !== "vehicle";
        (plate.hidden ? temperature : plate.querySelector("input")).focus();
      });
    });
    temperature.addEventListener("input", function () {
      var value = parseTemperature(temperature.value);
      var fever = value !== null && value >= threshold && value <= 43;
      form.classList.toggle("is-fever", fever);
      hint.textContent = fever ? "发热：请劝返或转重点人员" : "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.body.addEventListener("htmx:afterSwap", function () { setup(document); });
  // htmx keeps focus on the field that had it; at the barrier the next entry starts at
  // the first field (or at the field with an error), so move it there once settled.
  document.body.addEventListener("htmx:afterSettle", function () {
    var panel = document.getElementById("log-panel");
    if (!panel) { return; }
    var target = panel.querySelector(".is-invalid") || panel.querySelector("[autofocus]");
    if (target) { target.focus(); target.select && target.select(); }
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
