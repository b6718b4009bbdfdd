// The gate screen: where the browser has BarcodeDetector and a camera, a button reads the
// health card's QR code with the phone camera and fills in the signed token; everywhere
// else (and always) typing the short code works. No library: nothing is loaded otherwise.
(function () {
  "use strict";

  var SHORT_CODE = /^[23456789A-HJ-NP-Z]{8}$/;

  function setup() {
    var box = document.querySelector(".gate-camera");
    var form = document.querySelector(".gate-form");
    if (!box || !form || !("BarcodeDetector" in window) ||
        !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) {
      return;
    }
    var start = box.querySelector(".gate-camera-start");
    var video = box.querySelector(".gate-camera-video");
    var status = box.querySelector(".gate-camera-status");
    var token = form.querySelector("input[name=token]");
    var code = form.querySelector("input[name=code]");
    var temperature = form.querySelector("input[name=temperature]");
    var stream = null;
    var detector = null;
    var timer = null;

    function stop() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
      video.hidden = true;
      start.hidden = false;
    }

    function found(value) {
      stop();
      value = (value || "").trim();
      if (SHORT_CODE.test(value.toUpperCase())) {
        code.value = value.toUpperCase();
        token.value = "";
      } else {
        token.value = value;
        code.value = "";
      }
      if (temperature && temperature.value.trim() !== "") {
        form.requestSubmit ? form.requestSubmit() : form.submit();
        return;
      }
      status.textContent = "已识别健康码，请测体温后点“查验”（不测体温可直接查验）";
      if (temperature) { temperature.focus(); }
    }

    function scan() {
      detector.detect(video).then(function (codes) {
        if (codes.length) { found(codes[0].rawValue); return; }
        timer = setTimeout(scan, 250);
      }).catch(function () { timer = setTimeout(scan, 500); });
    }

    start.addEventListener("click", function () {
      status.textContent = "正在打开摄像头……";
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.hidden = false;
          start.hidden = true;
          status.textContent = "请把健康码对准取景框";
          return video.play();
        })
        .then(scan)
        .catch(function () {
          stop();
          status.textContent = "无法使用摄像头，请输入健康码短码";
          code.focus();
        });
    });

    // A typed code wins over a token read earlier.
    code.addEventListener("input", function () { token.value = ""; });
    window.addEventListener("pagehide", stop);

    BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") === -1) { return; }
      detector = new BarcodeDetector({ formats: ["qr_code"] });
      box.hidden = false;
    }).catch(function () { /* no detector: typing stays */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
