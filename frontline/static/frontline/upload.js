// An upload form marked data-upload-progress (every staged import) shows how far the file
// has gone, then that its rows are being checked; the answer replaces the page.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-upload-progress]");
  if (!form || !window.XMLHttpRequest) return;
  form.addEventListener("submit", (event) => {
    const file = form.querySelector("input[type=file]");
    if (!file || !file.files.length) return;
    event.preventDefault();
    const bar = form.querySelector(".upload-progress");
    const status = form.querySelector(".upload-status");
    const button = form.querySelector("button[type=submit]");
    bar.classList.remove("d-none");
    status.classList.remove("d-none");
    button.disabled = true;
    status.textContent = "正在上传……";
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.upload.addEventListener("load", () => {
      bar.removeAttribute("value");
      status.textContent = "上传完成，正在逐行检查……";
    });
    xhr.addEventListener("load", () => {
      if (xhr.responseURL && xhr.responseURL !== window.location.href) {
        window.location.assign(xhr.responseURL);
      } else {
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.addEventListener("error", () => {
      status.textContent = "上传失败，请检查网络后重试";
      button.disabled = false;
    });
    xhr.send(new FormData(form));
  });
});
