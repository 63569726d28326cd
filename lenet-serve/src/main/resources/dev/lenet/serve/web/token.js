// Calls to the server, shared by both pages. A server started with a token answers 401 to /v1 and
// /api calls without it: then the token form asks for it, keeps it in this tab's sessionStorage
// (one key for both pages, gone when the tab closes) and every call that was refused is sent again.
// A wrong token clears the stored one and the form asks again, saying what the server answered.
"use strict";

const lenetApi = (function () {
  const KEY = "lenet.token";
  const form = document.getElementById("token-form");
  const input = document.getElementById("token");
  const problem = document.getElementById("token-problem");
  let waiters = [];

  function ask(message) {
    // Several calls may be refused at once; a call that merely had no token keeps the message of
    // one whose token was refused.
    if (message || form.hidden) {
      problem.textContent = message || "";
      problem.hidden = !message;
    }
    form.hidden = false;
    document.body.classList.add("needs-token");
    if (message) input.select();
    input.focus();
    return new Promise((resolve) => waiters.push(resolve));
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    sessionStorage.setItem(KEY, token);
    form.hidden = true;
    document.body.classList.remove("needs-token");
    const ready = waiters;
    waiters = [];
    ready.forEach((w) => w());
  });

  /** fetch with the tab's token; on 401 asks for a token and sends the request again. */
  async function call(url, options = {}) {
    for (;;) {
      const headers = new Headers(options.headers || {});
      const token = sessionStorage.getItem(KEY);
      if (token) headers.set("Authorization", "Bearer " + token);
      const res = await fetch(url, Object.assign({}, options, { headers }));
      if (res.status !== 401) return res;
      const body = await res.json().catch(() => ({}));
      const stored = sessionStorage.getItem(KEY);
      if (stored !== token) continue; // a newer token was given meanwhile: try that one
      if (token) {
        sessionStorage.removeItem(KEY);
        await ask("That token was not accepted. Check that it is the one the server was started"
          + " with (" + (body.error ? "the server says: " + body.error.split(";")[0] : "401") + ")"
          + " and paste it again.");
      } else {
        await ask("");
      }
    }
  }

  /** A JSON call: the parsed body, or an Error with the server's {"error": ...} message. */
  async function json(url, options = {}) {
    const res = await call(url, options);
    const body = await res.json().catch(() => null);
    if (!res.ok || body === null) {
      const e = new Error((body && body.error) || "the server answered " + res.status + " " + res.statusText);
      e.status = res.status;
      throw e;
    }
    return body;
  }

  return { call, json };
})();
