// Resumable footage upload: sends the file in 4 MB pieces; a dropped connection resumes from the
// byte count the server reports. Remembers the upload id per file so a reload can continue.
(function () {
  "use strict";
  var form = document.getElementById("footage-form");
  if (!form) { return; }
  var CHUNK = 4 * 1024 * 1024;
  var input = document.getElementById("footage-file");
  var bar = document.getElementById("footage-progress");
  var status = document.getElementById("footage-status");
  var csrf = form.dataset.csrf;

  function say(text) { status.textContent = text; }
  function fileKey(file) { return form.dataset.resumeKey + ":" + file.name + ":" + file.size + ":" + file.lastModified; }

  function post(url, body, headers) {
    headers = headers || {};
    headers["X-CSRFToken"] = csrf;
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; }); });
  }

  function start(file) {
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(fileKey(file)) || "null"); } catch (e) { saved = null; }
    if (saved && saved.status_url) {
      return fetch(saved.status_url, { credentials: "same-origin" }).then(function (r) {
        if (r.ok) { return r.json().then(function (data) { data.status_url = saved.status_url; return data; }); }
        return create(file);
      });
    }
    return create(file);
  }

  function create(file) {
    var body = new FormData();
    body.append("name", file.name);
    body.append("size", String(file.size));
    return post(form.dataset.startUrl, body).then(function (res) {
      if (!res.ok) { throw new Error(res.data.error || "upload refused"); }
      res.data.status_url = res.data.chunk_url.replace(/chunk\/$/, "");
      window.localStorage.setItem(fileKey(file), JSON.stringify({ status_url: res.data.status_url }));
      return res.data;
    });
  }

  function send(file, state, attempt) {
    if (state.received >= state.total) { return Promise.resolve(state); }
    bar.value = Math.floor(100 * state.received / state.total);
    say(Math.floor(100 * state.received / state.total) + "%");
    var piece = file.slice(state.received, Math.min(state.received + CHUNK, state.total));
    return post(state.chunk_url + "?offset=" + state.received, piece, { "Content-Type": "application/octet-stream" })
      .then(function (res) {
        if (res.status === 409 && typeof res.data.received === "number") {
          state.received = res.data.received;  // the server tells us where to resume
          return send(file, state, 0);
        }
        if (!res.ok) { throw new Error(res.data.error || "upload failed"); }
        state.received = res.data.received;
        return send(file, state, 0);
      }, function () {
        if (attempt >= 5) { throw new Error("connection lost; choose the file again to resume"); }
        return new Promise(function (resolve) { setTimeout(resolve, 1000 * (attempt + 1)); })
          .then(function () { return send(file, state, attempt + 1); });
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = input.files && input.files[0];
    if (!file) { say(status.dataset.empty || "Choose a file first."); return; }
    bar.classList.remove("pk-hidden");
    start(file)
      .then(function (state) { return send(file, state, 0); })
      .then(function () {
        window.localStorage.removeItem(fileKey(file));
        bar.value = 100;
        say("100% ✓");
        window.location.reload();
      })
      .catch(function (error) { say(error.message); });
  });
})();
