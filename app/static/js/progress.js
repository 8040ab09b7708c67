// Live progress of a background job: asks the page's JSON twice a second and
// updates the bar and the texts; reloads the page once the job has ended.
// Served as a file (no inline script), so a strict Content-Security-Policy allows it.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.active !== "true") {
    return;
  }
  var bar = box.querySelector("progress");
  var text = document.getElementById("job-text");
  var elapsed = document.getElementById("job-elapsed");
  var hint = document.getElementById("job-hint");

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    text.textContent = state.text;
    elapsed.textContent = state.elapsed + " · " + state.percent + " %";
    hint.textContent = state.hint;
    if (!state.active) {
      window.location.reload();
    } else {
      window.setTimeout(poll, 500);
    }
  }

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  poll();
})();
