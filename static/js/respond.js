/* Questionnaire: autosave, character counters, unsaved-changes warning. The page works
   without this file: the buttons post the form and the server keeps every valid value. */
(function () {
  "use strict";

  var summaryBox = document.getElementById("error-summary");
  if (summaryBox) {
    summaryBox.focus();
  }
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var statusBox = document.getElementById("save-status");
  var saveUrl = form.getAttribute("data-save-url");
  var DELAY = 1500;
  var timer = null;
  var retryTimer = null;
  var retryDelay = 5000;
  var inFlight = false;
  var dirty = false;      // changes typed since the last successful save
  var again = false;      // changes typed while a save was running
  var stopped = false;    // the server said this page can no longer save
  var leaving = false;
  var coolUntil = 0;      // after a 429, no save before this time

  function message(name, time) {
    var text = statusBox.getAttribute("data-" + name) || "";
    return time ? text.replace("{time}", time) : text;
  }

  function show(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "save-status" + (kind ? " save-status-" + kind : "");
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function setCsrfToken(token) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      meta.setAttribute("content", token);
    }
    var field = form.querySelector('input[name="csrf_token"]');
    if (field) {
      field.value = token;
    }
  }

  function showFieldErrors(errors) {
    var slots = form.querySelectorAll(".error-message[id$='-error']");
    Array.prototype.forEach.call(slots, function (slot) {
      var name = slot.id.slice(0, -"-error".length);
      var input = document.getElementById(name);
      var field = slot.closest(".field");
      var text = errors[name];
      if (input && input.hasAttribute("data-no-autosave")) {
        return; // not part of an autosave
      }
      slot.textContent = text || "";
      slot.hidden = !text;
      if (input) {
        input.setAttribute("aria-invalid", text ? "true" : "false");
      }
      if (field) {
        field.classList.toggle("field-error", Boolean(text));
      }
    });
  }

  function formData() {
    var data = new FormData(form);
    Array.prototype.forEach.call(form.querySelectorAll("[data-no-autosave]"), function (field) {
      data.delete(field.name);
    });
    return data;
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(save, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  function retryAfter(seconds) {
    // The link saved too often just now (429): nothing was lost, try again once allowed;
    // until then, typing only marks the page dirty.
    clearTimeout(retryTimer);
    var wait = (seconds > 0 ? Math.min(seconds, 120) * 1000 : retryDelay) +
      Math.floor(Math.random() * 500);
    coolUntil = Date.now() + wait;
    retryTimer = setTimeout(save, wait);
  }

  function save() {
    clearTimeout(timer);
    clearTimeout(retryTimer);
    if (stopped || leaving) {
      return;
    }
    if (Date.now() < coolUntil) {
      retryTimer = setTimeout(save, coolUntil - Date.now());
      return;
    }
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    again = false;
    show(message("saving"));
    fetch(saveUrl, {
      method: "POST",
      body: formData(),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body,
                 retryAfter: parseInt(response.headers.get("Retry-After"), 10) };
      });
    }).then(function (result) {
      inFlight = false;
      var body = result.body || {};
      if (result.status === 200 && body.saved_at) {
        retryDelay = 5000;
        var errors = body.errors || {};
        showFieldErrors(errors);
        var version = form.querySelector('input[name="version"]');
        if (version && body.version) {
          version.value = body.version;
        }
        dirty = again;
        show(message(Object.keys(errors).length ? "fix" : "saved", body.saved_at),
             Object.keys(errors).length ? "warn" : "ok");
        if (again) {
          save();
        }
      } else if (result.status === 400 && body.error === "csrf" && body.csrf_token) {
        setCsrfToken(body.csrf_token);  // the session expired: retry with a fresh token
        save();
      } else if (result.status === 429) {
        show(message("too-many"), "warn");
        retryAfter(result.retryAfter);
      } else if (result.status === 409) {
        stopped = true;
        show(body.message || message("failed"), "bad");
      } else {
        show(body.message || message("failed"), "bad");
        scheduleRetry();
      }
    }).catch(function () {
      inFlight = false;
      show(message("failed"), "bad");
      scheduleRetry();
    });
  }

  function changed(event) {
    if (event.target.type === "file") {
      checkFileSize(event.target);
      return;
    }
    dirty = true;
    if (!inFlight && Date.now() >= coolUntil) {
      show(message("unsaved"));
    }
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  // A file input fires "input" then "change" for one pick: after a file too large is cleared,
  // the second event finds no file and must leave the message shown.
  function checkFileSize(input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    var slot = document.getElementById(input.id + "-error");
    var field = input.closest(".field");
    if (!file) {
      return;
    }
    var tooBig = Boolean(limit && file.size > limit);
    if (tooBig) {
      input.value = "";
    }
    if (slot) {
      slot.textContent = tooBig ? message("too-big") : "";
      slot.hidden = !tooBig;
    }
    input.setAttribute("aria-invalid", tooBig ? "true" : "false");
    if (field) {
      field.classList.toggle("field-error", tooBig);
    }
  }

  function updateCounter(input) {
    var limit = parseInt(input.getAttribute("data-max-length"), 10);
    var counter = document.getElementById(input.id + "-counter");
    if (!limit || !counter) {
      return;
    }
    var count = Array.from(input.value.trim()).length;
    counter.hidden = false;
    counter.textContent = count + " / " + limit;
    counter.classList.toggle("over", count > limit);
  }

  var limited = form.querySelectorAll("[data-max-length]");
  Array.prototype.forEach.call(limited, function (input) {
    updateCounter(input);
    input.addEventListener("input", function () { updateCounter(input); });
  });

  var progress = document.getElementById("progress");
  var progressLabel = document.getElementById("progress-label");
  var answerFields = form.querySelectorAll("[data-answer]");

  function updateProgress() {
    if (!progress || !progressLabel) {
      return;
    }
    var answered = Array.prototype.filter.call(answerFields, function (field) {
      return field.value.trim() !== "";
    }).length;
    progress.value = answered;
    progressLabel.textContent = progressLabel.getAttribute("data-template")
      .replace("{answered}", answered).replace("{total}", answerFields.length);
  }

  form.addEventListener("input", changed);
  form.addEventListener("input", updateProgress);
  form.addEventListener("change", function (event) {
    if (event.target.type === "file" || event.target.type === "checkbox") {
      changed(event);
    }
  });
  form.addEventListener("submit", function () {
    leaving = true;  // the button posts everything itself
    clearTimeout(timer);
    clearTimeout(retryTimer);
  });
  window.addEventListener("online", function () {
    if (dirty && !stopped) {
      save();
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if ((dirty || inFlight) && !leaving && !stopped) {
      event.preventDefault();
      event.returnValue = message("leave");
      return event.returnValue;
    }
    return undefined;
  });
})();
