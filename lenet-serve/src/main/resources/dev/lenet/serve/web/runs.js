// The runs view: the runs of a `lenet serve --runs DIR`, and the chosen run's curves, recipe and
// progress, updated live from GET /api/runs/{run}/events (read with fetch, through token.js, since
// EventSource cannot send the token). No library, no build step.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  // The colours and line styles of `lenet train`'s curves.png.
  const SERIES = [
    { key: "loss", label: "train loss", color: "#1f77b4", dash: "", marker: false },
    { key: "train_acc", label: "train acc", color: "#d62728", dash: "6 4", marker: false },
    { key: "test_acc", label: "test acc", color: "#2ca02c", dash: "", marker: true },
  ];

  const $ = (id) => document.getElementById(id);
  let chosen = null;
  let stream = null;
  let listTimer = null;

  // ---- calls: through lenetApi (token.js), which asks for the token on a 401 and sends again

  function getJson(path) {
    return lenetApi.json(path, { headers: { Accept: "application/json" } });
  }

  // ---- the list of runs

  let listing = false;

  async function loadList() {
    if (listing) return; // one at a time (the timer keeps ticking while the token form is up)
    listing = true;
    try {
      await showList();
    } finally {
      listing = false;
    }
  }

  async function showList() {
    let runs;
    try {
      runs = await getJson("/api/runs");
    } catch (e) {
      if (e.status === 404) {
        // A server without --runs: say how to turn the view on instead of an empty page.
        clearInterval(listTimer);
        if (stream) stream.abort();
        $("runs").hidden = true;
        $("no-runs").hidden = false;
        return;
      }
      $("runs-message").textContent = e.message;
      $("runs-message").hidden = false;
      return;
    }
    const list = $("run-list");
    list.textContent = "";
    $("runs-message").hidden = runs.length > 0;
    $("runs-message").textContent = "No runs yet: start one with lenet train --out DIR/NAME.";
    for (const run of runs) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#" + encodeURIComponent(run.name);
      a.dataset.run = run.name;
      if (run.name === chosen) a.setAttribute("aria-current", "true");
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = run.name;
      const state = document.createElement("span");
      state.className = "state " + run.state;
      state.textContent = run.state;
      const info = document.createElement("span");
      info.className = "info muted";
      info.textContent = summaryText(run);
      a.append(name, state, info);
      li.append(a);
      list.append(li);
    }
    if (!chosen && runs.length > 0 && !location.hash) {
      const running = runs.find((r) => r.state === "running");
      choose((running || runs[runs.length - 1]).name);
    }
  }

  function summaryText(run) {
    if (run.error) return run.error;
    const parts = [];
    if (run.epochs_total != null) parts.push("epoch " + run.epochs_done + " of " + run.epochs_total);
    if (run.last) parts.push("test acc " + run.last.test_acc.toFixed(3));
    return parts.join(" · ") || "no epoch yet";
  }

  // ---- one run, live

  function choose(name) {
    if (name === chosen) return;
    chosen = name;
    if (location.hash !== "#" + encodeURIComponent(name)) {
      history.replaceState(null, "", "#" + encodeURIComponent(name));
    }
    for (const a of document.querySelectorAll("#run-list a")) {
      if (a.dataset.run === name) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    }
    follow(name);
  }

  // Reads the event stream with fetch (EventSource cannot send the Authorization header).
  async function follow(name) {
    if (stream) stream.abort();
    const controller = new AbortController();
    stream = controller;
    try {
      const r = await lenetApi.call("/api/runs/" + encodeURIComponent(name) + "/events", {
        headers: { Accept: "text/event-stream" },
        signal: controller.signal,
      });
      if (!r.ok) {
        const body = await r.json().catch(() => ({}));
        showError(body.error || "the server answered " + r.status);
        return;
      }
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    // The stream ended (server restarted, network): follow again shortly if still chosen.
    if (stream === controller && chosen === name) setTimeout(() => stream === controller && follow(name), 2000);
  }

  function dispatch(block) {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (event === "run" && data.length > 0) {
      const run = JSON.parse(data.join("\n"));
      if (run.name === chosen) render(run);
    }
  }

  function showError(message) {
    $("run").hidden = false;
    $("run-name").textContent = chosen;
    $("run-state").textContent = "";
    $("chart-caption").textContent = message;
  }

  let shown = null;

  function render(run) {
    shown = run;
    $("run").hidden = false;
    $("run").dataset.run = run.name;
    $("run").dataset.state = run.state;
    $("run-name").textContent = run.name;
    const state = $("run-state");
    state.textContent = run.state;
    state.className = "state " + run.state;
    const epochs = run.epochs || [];
    const total = run.epochs_total || epochs.length || 1;
    $("progress-fill").style.width = Math.min(100, (100 * epochs.length) / total) + "%";
    $("progress-text").textContent =
      run.epochs_total != null ? "epoch " + epochs.length + " of " + run.epochs_total : "no epoch yet";
    drawCurves($("curves"), epochs, total);
    $("chart-caption").textContent = run.error
      ? run.error
      : [run.recipe ? networkLine(run) : "", run.dataset, run.device].filter(Boolean).join(" · ");
    table($("last"), run.last ? lastRows(run.last) : [["", "no epoch yet"]]);
    table($("recipe"), run.recipe ? Object.entries(run.recipe) : []);
    const body = $("epochs").querySelector("tbody");
    body.textContent = "";
    for (const e of epochs.slice().reverse()) {
      const tr = document.createElement("tr");
      for (const v of [e.epoch, fix(e.loss, 4), fix(e.train_acc, 4), fix(e.test_acc, 4),
                       fix(e.examples_per_sec, 0), fix(e.seconds, 1)]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.append(td);
      }
      body.append(tr);
    }
    const link = document.querySelector('#run-list a[data-run="' + CSS.escape(run.name) + '"]');
    if (link) {
      link.querySelector(".state").textContent = run.state;
      link.querySelector(".state").className = "state " + run.state;
      link.querySelector(".info").textContent = summaryText(run);
    }
  }

  function networkLine(run) {
    const r = run.recipe;
    return (r.optimizer || "") + " lr " + r.learningRate + ", batch " + r.batchSize;
  }

  function lastRows(e) {
    return [
      ["epoch", e.epoch],
      ["train loss", fix(e.loss, 4)],
      ["train acc", fix(e.train_acc, 4)],
      ["test acc", fix(e.test_acc, 4)],
      ["examples/sec", fix(e.examples_per_sec, 0)],
      ["seconds", fix(e.seconds, 1)],
    ];
  }

  function fix(v, digits) {
    return typeof v === "number" ? v.toFixed(digits) : String(v);
  }

  function table(el, rows) {
    el.textContent = "";
    for (const [k, v] of rows) {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.textContent = k;
      const td = document.createElement("td");
      td.textContent = typeof v === "object" ? JSON.stringify(v) : String(v);
      tr.append(th, td);
      el.append(tr);
    }
  }

  // ---- the chart: one plot, epochs 0..total on x, 0..max on y, as curves.png

  function el(name, attrs, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text != null) e.textContent = text;
    return e;
  }

  function niceStep(range, ticks) {
    const raw = range / ticks;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
  }

  function drawCurves(svg, epochs, total) {
    // Drawn at the size shown, so that labels stay readable on a phone.
    const W = Math.round(Math.max(320, Math.min(800, svg.clientWidth || 800)));
    const H = W < 560 ? Math.round(W * 0.85) : 470, L = 48, R = 12, T = 40, B = 44;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.textContent = "";
    svg.dataset.points = String(epochs.length);
    let top = 1;
    for (const e of epochs) for (const s of SERIES) if (Number.isFinite(e[s.key])) top = Math.max(top, e[s.key]);
    const yStep = niceStep(top, 5);
    top = Math.ceil(top / yStep) * yStep;
    const x = (v) => L + ((W - L - R) * v) / total;
    const y = (v) => T + (H - T - B) * (1 - v / top);

    svg.append(el("rect", { x: L, y: T, width: W - L - R, height: H - T - B, class: "plot" }));
    for (let v = 0; v <= top + 1e-9; v += yStep) {
      svg.append(el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }));
      svg.append(el("text", { x: L - 8, y: y(v) + 4, class: "tick", "text-anchor": "end" },
        +v.toFixed(2)));
    }
    const xStep = Math.max(1, Math.ceil(niceStep(total, 10)));
    for (let v = 0; v <= total; v += xStep) {
      svg.append(el("line", { x1: x(v), x2: x(v), y1: T, y2: H - B, class: "grid" }));
      svg.append(el("text", { x: x(v), y: H - B + 18, class: "tick", "text-anchor": "middle" }, v));
    }
    svg.append(el("text", { x: (L + W - R) / 2, y: H - 6, class: "axis", "text-anchor": "middle" },
      "epoch"));

    for (const s of SERIES) {
      const pts = epochs.filter((e) => Number.isFinite(e[s.key])).map((e) => [x(e.epoch), y(e[s.key])]);
      if (pts.length === 0) continue;
      const g = el("g", { class: "series", "data-series": s.key, "data-points": pts.length });
      g.append(el("polyline", {
        points: pts.map((p) => p.join(",")).join(" "),
        fill: "none", stroke: s.color, "stroke-width": 2, "stroke-dasharray": s.dash,
      }));
      for (const [px, py] of pts) {
        g.append(el("circle", { cx: px, cy: py, r: s.marker ? 4 : 2.5, fill: s.color }));
      }
      svg.append(g);
    }

    // The legend, in a row above the plot, so that it never hides a curve (on a phone the plot is
    // small and the curves reach every corner).
    const item = 108;
    let lx = Math.max(4, Math.round((L + W - R) / 2 - (SERIES.length * item) / 2));
    const ly = 16;
    SERIES.forEach((s) => {
      const g = el("g", { class: "legend-item", "data-series": s.key });
      g.append(el("line", { x1: lx, x2: lx + 24, y1: ly, y2: ly, stroke: s.color,
        "stroke-width": 2, "stroke-dasharray": s.dash }));
      if (s.marker) g.append(el("circle", { cx: lx + 12, cy: ly, r: 4, fill: s.color }));
      g.append(el("text", { x: lx + 30, y: ly + 4, class: "tick" }, s.label));
      svg.append(g);
      lx += item;
    });
    if (epochs.length === 0) {
      svg.append(el("text", { x: (L + W - R) / 2, y: (T + H - B) / 2, class: "axis",
        "text-anchor": "middle" }, "waiting for the first epoch…"));
    }
  }

  // ---- start

  window.addEventListener("resize", () => {
    if (shown) drawCurves($("curves"), shown.epochs || [], shown.epochs_total || (shown.epochs || []).length || 1);
  });

  window.addEventListener("hashchange", () => {
    const name = decodeURIComponent(location.hash.slice(1));
    if (name) choose(name);
  });

  function start() {
    const again = location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : chosen;
    chosen = null;
    loadList();
    if (again) choose(again);
    clearInterval(listTimer);
    listTimer = setInterval(loadList, 5000);
  }

  start();
})();
