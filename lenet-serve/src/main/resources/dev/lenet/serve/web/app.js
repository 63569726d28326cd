// The predict page: draw or drop an image, see it as the model does, and the class probabilities.
// Plain JavaScript, no dependencies. Talks to GET /api/models and POST /v1/models/{name}:predictImage
// through token.js.
"use strict";

const $ = (id) => document.getElementById(id);

let models = [];
let current = null;

// Calls go through lenetApi (token.js), which asks for the token when the server wants one.
const api = lenetApi.json;

function showError(message) {
  $("status").textContent = message || "";
}

// ---- models

async function loadModels() {
  models = (await api("/api/models")).models;
  const select = $("model-select");
  select.replaceChildren(...models.map((m) => new Option(m.name, m.name)));
  $("model-picker").hidden = models.length < 2;
  // A server with runs and no model: say so and point at the runs instead of an empty page.
  $("no-model").hidden = models.length > 0;
  $("predict").hidden = models.length === 0;
  select.addEventListener("change", () => selectModel(select.value));
  if (models.length) selectModel(models[0].name);
}

function selectModel(name) {
  current = models.find((m) => m.name === name);
  $("accuracy").textContent =
    current.test_accuracy == null ? "not recorded" : (100 * current.test_accuracy).toFixed(2) + " %";
  $("params").textContent = current.parameters.toLocaleString("en-US");
  $("input-shape").textContent = "(" + current.input_shape.join(", ") + ")";
  const body = $("summary").tBodies[0];
  body.replaceChildren(
    ...current.summary.map((r) => {
      const tr = document.createElement("tr");
      [r.number, r.layer, "(" + r.output_shape.join(", ") + ")", r.parameters.toLocaleString("en-US")]
        .forEach((v, i) => {
          const td = document.createElement("td");
          td.textContent = v;
          if (i === 0 || i === 3) td.className = "num";
          if (i === 2) td.className = "mono";
          tr.appendChild(td);
        });
      return tr;
    })
  );
  buildBars();
  if (lastSource) request(lastSource);
}

// ---- the bars and the image as the model sees it

function buildBars() {
  $("bars").replaceChildren(
    ...current.class_names.map((name, c) => {
      const row = document.createElement("div");
      row.className = "bar";
      row.dataset.class = c;
      row.innerHTML = '<span class="name"></span><span class="track"><span class="fill"></span></span><span class="value"></span>';
      row.querySelector(".name").textContent = name;
      row.querySelector(".name").title = name;
      return row;
    })
  );
  $("predicted").textContent = "–";
  $("predicted-p").textContent = "";
}

function showAnswer(answer) {
  const byClass = new Map(answer.predictions.map((p) => [p.class, p.probability]));
  const best = answer.predictions[0];
  for (const row of $("bars").children) {
    const p = byClass.get(Number(row.dataset.class)) || 0;
    row.dataset.probability = p;
    row.querySelector(".fill").style.width = (100 * p).toFixed(1) + "%";
    row.querySelector(".value").textContent = (100 * p).toFixed(1) + "%";
    row.classList.toggle("top", Number(row.dataset.class) === best.class);
  }
  $("predicted").textContent = best.name;
  $("predicted").dataset.class = best.class;
  $("predicted-p").textContent = (100 * best.probability).toFixed(1) + " %";
  drawSeen(answer.image);
}

function drawSeen(image) {
  const canvas = $("seen");
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext("2d");
  const data = ctx.createImageData(image.width, image.height);
  const plane = image.width * image.height;
  for (let i = 0; i < plane; i++) {
    const rgb = image.channels === 3
      ? [image.pixels[i], image.pixels[plane + i], image.pixels[2 * plane + i]]
      : [image.pixels[i], image.pixels[i], image.pixels[i]];
    data.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * i);
  }
  ctx.putImageData(data, 0, 0);
  $("seen-size").textContent = image.width + " × " + image.height + (image.channels === 3 ? " RGB" : " gray");
}

// ---- sending: at most one request in flight. A source makes the image when its turn comes
// (the pad is encoded then), and a newer source replaces one still waiting.

let lastSource = null;
let inFlight = false;
let waiting = null;
let generation = 0; // bumped by Clear: answers to images sent before are dropped

function request(source) {
  lastSource = source;
  waiting = source;
  pump();
}

async function pump() {
  if (inFlight || !waiting || !current) return;
  const source = waiting;
  waiting = null;
  inFlight = true;
  const sentIn = generation;
  try {
    const blob = await source();
    const url = "/v1/models/" + encodeURIComponent(current.name) + ":predictImage?top=" + current.class_names.length;
    const headers = { "Content-Type": blob.type || "image/png" };
    const answer = await api(url, { method: "POST", headers, body: blob });
    showError("");
    if (sentIn === generation) showAnswer(answer);
  } catch (e) {
    showError(e.message);
  } finally {
    inFlight = false;
    pump();
  }
}

// ---- the drawing pad

const pad = $("pad");
const pen = pad.getContext("2d");
let drawing = false;

function clearPad() {
  pen.fillStyle = "#000";
  pen.fillRect(0, 0, pad.width, pad.height);
}

function point(e) {
  const r = pad.getBoundingClientRect();
  return [(e.clientX - r.left) * (pad.width / r.width), (e.clientY - r.top) * (pad.height / r.height)];
}

function sendPad() {
  request(() => new Promise((resolve, reject) =>
    pad.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("cannot encode the drawing"))), "image/png")));
}

pad.addEventListener("pointerdown", (e) => {
  drawing = true;
  pad.setPointerCapture(e.pointerId);
  const [x, y] = point(e);
  pen.strokeStyle = "#fff";
  pen.lineWidth = 22;
  pen.lineCap = "round";
  pen.lineJoin = "round";
  pen.beginPath();
  pen.moveTo(x, y);
  pen.lineTo(x + 0.01, y);
  pen.stroke();
  sendPad();
});
pad.addEventListener("pointermove", (e) => {
  if (!drawing) return;
  const [x, y] = point(e);
  pen.lineTo(x, y);
  pen.stroke();
  sendPad();
});
["pointerup", "pointercancel"].forEach((t) =>
  pad.addEventListener(t, () => {
    if (drawing) sendPad();
    drawing = false;
  })
);
$("clear").addEventListener("click", () => {
  clearPad();
  lastSource = null;
  waiting = null;
  generation++;
  if (current) buildBars();
  $("seen").getContext("2d").clearRect(0, 0, $("seen").width, $("seen").height);
});

// ---- files: pick or drop

const drop = $("drop");
$("file").addEventListener("change", () => {
  const file = $("file").files[0];
  if (file) request(() => Promise.resolve(file));
  $("file").value = "";
});
["dragenter", "dragover"].forEach((t) =>
  drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add("over"); })
);
["dragleave", "drop"].forEach((t) => drop.addEventListener(t, () => drop.classList.remove("over")));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  const file = e.dataTransfer.files[0];
  if (file) request(() => Promise.resolve(file));
});

clearPad();
loadModels().catch((e) => showError("cannot load the models: " + e.message));
