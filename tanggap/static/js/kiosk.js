// Counter kiosk: one question per screen, large print, and answers queued on the device so a
// network outage loses nothing. Without this script the page is a plain form that posts itself.
(() => {
  "use strict";
  const kiosk = document.getElementById("kiosk");
  const form = document.getElementById("skm-form");
  if (!kiosk || !form || !form.dataset.submitUrl) return;

  const url = form.dataset.submitUrl;
  const QUEUE_KEY = "tanggap.kiosk.queue:" + url;
  const REFUSED_KEY = "tanggap.kiosk.refused:" + url;
  // Statuses after which an item leaves the queue: stored, a resend, or refused for good.
  const DONE = [200, 201, 400, 409, 413];
  const FIELDS = ["service", "comment", "ticket_code", "gender", "age", "education", "occupation"];
  const EXTRA = /^q_(\d+)$/; // the unit's own questions: q_<question id>
  const steps = Array.from(form.querySelectorAll(".skm-step"));
  const thanks = document.getElementById("skm-thanks");
  const thanksText = thanks ? thanks.textContent.trim() : "";
  const queueStatus = document.getElementById("kiosk-queue");
  const largePrint = document.getElementById("large-print");
  const label = (name) => kiosk.getAttribute("data-label-" + name) || "";

  let current = 0, lastPointer = 0, advanceTimer = 0, idleTimer = 0, thanksTimer = 0;
  let flushing = false, waited = false;
  let memory = null; // the queue lives here only when localStorage is blocked or full

  // ---- Queue on the device ----
  function readQueue() {
    if (memory) return memory.slice();
    try {
      const items = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return (memory = []);
    }
  }

  function writeQueue(items) {
    if (!memory) {
      try {
        localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
        return;
      } catch (e) { /* fall back to memory below */ }
    }
    memory = items.slice();
  }

  function countRefused() {
    try {
      localStorage.setItem(REFUSED_KEY, String(Number(localStorage.getItem(REFUSED_KEY) || 0) + 1));
    } catch (e) { /* the count is only a diagnostic */ }
  }

  function showQueue() {
    const n = readQueue().length;
    if (n) {
      queueStatus.textContent = label("queued").replace("%(n)s", String(n));
      waited = true;
    } else if (waited) {
      queueStatus.textContent = label("sent");
      waited = false;
    }
  }

  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (let item = readQueue()[0]; item; item = readQueue()[0]) {
        let response;
        try {
          response = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
            body: JSON.stringify(item),
            credentials: "same-origin",
            // A request hanging on a bad link would hold the lock forever.
            signal: window.AbortSignal && AbortSignal.timeout ? AbortSignal.timeout(20000) : undefined,
          });
        } catch (e) {
          break; // offline: keep the item and wait for the next try
        }
        if (!DONE.includes(response.status)) break; // 5xx or unexpected: keep it
        if (response.status >= 400) countRefused();
        const key = item.client_key;
        writeQueue(readQueue().filter((other) => other.client_key !== key));
      }
    } finally {
      flushing = false;
      showQueue();
    }
  }

  // ---- One step per screen ----
  function element(tag, className, text) {
    const made = Object.assign(document.createElement(tag), { className, textContent: text });
    if (tag === "button") made.type = "button";
    return made;
  }

  const error = Object.assign(element("p", "kiosk-error", ""), { id: "kiosk-error" });
  error.setAttribute("aria-live", "assertive");
  const back = element("button", "kiosk-back", label("back"));
  const next = element("button", "kiosk-next primary", label("next"));
  const nav = element("div", "kiosk-nav", "");
  nav.append(error, back, next);
  form.append(nav);
  steps.forEach((step) => step.querySelectorAll("legend").forEach((legend) => { legend.tabIndex = -1; }));

  function focusTarget(step) {
    return step.querySelector("legend") || step.querySelector("input:not([type=hidden]), select, textarea") || step;
  }

  function clearError() {
    error.textContent = "";
    form.querySelectorAll("[aria-describedby~=kiosk-error]").forEach((element) => {
      element.removeAttribute("aria-describedby");
      element.removeAttribute("aria-invalid");
    });
  }

  function show(index, moveFocus = true) {
    clearTimeout(advanceTimer);
    clearError();
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach((step, i) => { step.hidden = i !== current; });
    back.hidden = current === 0;
    next.hidden = current === steps.length - 1;
    if (moveFocus) focusTarget(steps[current]).focus();
  }

  // The first required control of a step that has no value (radios count as one group).
  function missing(step) {
    return Array.from(step.querySelectorAll("[required]"))
      .find((control) => !String((form.elements[control.name] || control).value || "").trim());
  }

  function showError(control) {
    const radio = control.type === "radio";
    const target = radio ? control.closest("fieldset") || control : control;
    target.setAttribute("aria-describedby", "kiosk-error");
    if (!radio) {
      target.setAttribute("aria-invalid", "true");
      target.focus();
    }
    // Emptied first so that a repeated message is announced again.
    error.textContent = "";
    setTimeout(() => { error.textContent = radio ? label("choose") : label("required") || label("choose"); }, 50);
  }

  function goNext() {
    const control = missing(steps[current]);
    if (control) showError(control);
    else if (current === steps.length - 1) send();
    else show(current + 1);
  }

  // ---- Submission and reset ----
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs https; this does not
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function payload() {
    const data = new FormData(form);
    const item = { client_key: data.get("client_key"), answers: {}, extra_answers: {}, queued_at: new Date().toISOString() };
    form.querySelectorAll("input[type=radio]:checked").forEach((radio) => {
      const extra = EXTRA.exec(radio.name);
      if (extra) item.extra_answers[extra[1]] = Number(radio.value);
      else if (!FIELDS.includes(radio.name)) item.answers[radio.name] = Number(radio.value);
    });
    // The unit's own questions with a text answer; they never count in the index.
    form.querySelectorAll("input[type=text], textarea").forEach((input) => {
      const extra = EXTRA.exec(input.name);
      if (extra && input.value.trim()) item.extra_answers[extra[1]] = input.value.trim();
    });
    FIELDS.forEach((name) => {
      const value = String(data.get(name) || "").trim();
      if (value) item[name] = value;
    });
    return item;
  }

  function setLarge(on) {
    document.documentElement.classList.toggle("kiosk-large", on);
    if (largePrint) largePrint.setAttribute("aria-pressed", String(on));
  }

  const isLarge = () => document.documentElement.classList.contains("kiosk-large");

  function reset() {
    form.reset();
    form.elements.client_key.value = newKey();
    setLarge(false);
    show(0);
  }

  function showThanks() {
    if (!thanks) return;
    thanks.textContent = "";
    thanks.hidden = false;
    setTimeout(() => { thanks.textContent = thanksText; }, 50);
    clearTimeout(thanksTimer);
    thanksTimer = setTimeout(() => { thanks.hidden = true; }, 6000);
  }

  function send() {
    const bad = steps.findIndex((step) => missing(step));
    if (bad >= 0) {
      show(bad);
      showError(missing(steps[bad]));
      return;
    }
    writeQueue(readQueue().concat([payload()]));
    reset();
    showThanks();
    if (waited || !navigator.onLine) showQueue();
    flush();
  }

  function inProgress() {
    if (current > 0 || isLarge()) return true;
    for (const [name, value] of new FormData(form)) {
      if (name !== "client_key" && name !== "csrfmiddlewaretoken" && value) return true;
    }
    return false;
  }

  // Read lazily so that a counter (or a test) can change the pause without a reload.
  function restartIdle() {
    clearTimeout(idleTimer);
    const seconds = Number(kiosk.dataset.resetSeconds) || 90;
    idleTimer = setTimeout(() => { if (inProgress()) reset(); }, seconds * 1000);
  }

  // ---- Wiring ----
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    goNext();
  });
  back.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", goNext);
  form.addEventListener("pointerdown", () => { lastPointer = Date.now(); });
  form.addEventListener("keydown", (event) => {
    lastPointer = 0;
    if (event.key !== "Enter" || event.isComposing || !event.target.matches("input, select")) return;
    event.preventDefault(); // Enter means Next here, not the browser's implicit submission
    goNext();
  });
  // A tap on an answer moves on by itself; arrow keys only move between the options.
  form.addEventListener("change", (event) => {
    clearError();
    if (event.target.type !== "radio" || Date.now() - lastPointer > 1500) return;
    if (current === steps.length - 1) return;
    const from = current;
    clearTimeout(advanceTimer);
    advanceTimer = setTimeout(() => { if (current === from) goNext(); }, 300);
  });
  if (largePrint) largePrint.addEventListener("click", () => setLarge(!isLarge()));
  ["pointerdown", "keydown", "input", "change"].forEach((type) => document.addEventListener(type, restartIdle, true));
  window.addEventListener("online", flush);
  setInterval(flush, 15000);

  kiosk.classList.add("kiosk-js");
  form.elements.client_key.value = newKey(); // a page from a cache must not reuse an old key
  const withError = steps.findIndex((step) => step.querySelector(".errorlist"));
  show(Math.max(withError, 0), false);
  showQueue();
  flush();
})();

// Offline reloads: a service worker (kiosk-sw.js) keeps this page and its files on the device.
(() => {
  "use strict";
  const worker = document.querySelector("meta[name=tanggap-kiosk-sw]");
  const form = document.getElementById("skm-form");
  if (!worker || !form || !form.elements.csrfmiddlewaretoken || !("serviceWorker" in navigator)) return;
  // Where the browser refuses (no secure context, storage blocked) the queue still works.
  navigator.serviceWorker.register(worker.content, { scope: worker.dataset.scope }).catch(() => {});

  // A page served from the device carries the CSRF token of the day it was stored. Should the
  // cookie have changed since (cleared on restart, an officer logging in on this browser), every
  // queued answer would be refused with 403 and wait forever. So once the server answers, the
  // form takes a token rendered now. One request at a time: without a cookie each answer sets a
  // new one, and the form could keep the token of another. The network's own page is not stale.
  let stale = Boolean(navigator.serviceWorker.controller);
  let pending = null;
  async function takeToken() {
    try {
      const response = await fetch(worker.dataset.scope, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const token = page.querySelector("#skm-form [name=csrfmiddlewaretoken]");
      if (!token) return;
      form.elements.csrfmiddlewaretoken.value = token.value;
      stale = false;
    } catch (e) { /* still offline: again when the network returns */ }
  }
  function refreshToken() {
    if (!stale || pending) return;
    pending = takeToken().finally(() => { pending = null; });
  }
  window.addEventListener("online", refreshToken);
  setInterval(refreshToken, 60000);
  refreshToken();
})();
