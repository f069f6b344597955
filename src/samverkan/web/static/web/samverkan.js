/* Small behaviours of the pages, as a static file: the Content-Security-Policy allows no
   inline scripts or on...="" attributes.
   - <button type="button" data-print> prints the page. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});

/* A form is sent once: a second click (or Enter) while the first is on its way is
   ignored, and the buttons say so (aria-disabled; not the disabled attribute, which
   would drop the pressed button's name and value from what is sent). The server
   refuses a repeat anyway (the form's one-time key, core.idempotency). */
document.addEventListener("submit", function (event) {
  var form = event.target;
  /* getAttribute: a field named "method" would hide the form's own property. */
  if (!(form instanceof HTMLFormElement) || (form.getAttribute("method") || "").toLowerCase() !== "post") {
    return;
  }
  if (form.dataset.submitting) {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "1";
  form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]")
    .forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("is-submitting");
    });
  /* An answer that does not leave the page (a file to save) frees the form again. */
  window.setTimeout(function () { release(form); }, 8000);
});

function release(form) {
  delete form.dataset.submitting;
  form.querySelectorAll(".is-submitting").forEach(function (button) {
    button.removeAttribute("aria-disabled");
    button.classList.remove("is-submitting");
  });
}

/* Back to a page from the browser's cache: its forms can be sent again. */
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitting]").forEach(release);
});

/* A form came back with errors: focus moves to their summary (role="alert", with a link
   to each field), so that a keyboard or screen-reader user starts there. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});
