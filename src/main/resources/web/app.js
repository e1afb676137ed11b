// ReLU Atlas explorer: plain JavaScript and canvas over the JSON API of docs/api.md.
'use strict';

const $ = (id) => document.getElementById(id);
const canvas = $('view');
const ctx = canvas.getContext('2d');
const W = canvas.width, H = canvas.height;

const state = {
  models: [], runs: [],
  model: null,          // the model entry shown (a run's current snapshot when a run is selected)
  run: null,            // the selected run, or null
  snapshot: 0,          // index into run.snapshots
  plane: null,          // plane id for models with more than 2 inputs
  domain: null,         // [xmin, xmax, ymin, ymax] in plane coordinates
  view: null,           // the last /api/regions answer
  viewDomain: null,     // the domain that answer covers
  shade: 'pattern',
  tool: 'pan',
  pinned: null,         // {region, point}
  segment: null,        // {from, to} in plane coordinates
  playing: false,
  requestSeq: 0,
  abort: null,
};

// ---------- API

async function api(path, options) {
  const res = await fetch(path, options);
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    const msg = body && body.error ? body.error : `HTTP ${res.status}`;
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return body;
}

function showError(msg) {
  const e = $('error');
  e.textContent = msg;
  e.hidden = !msg;
}

// ---------- coordinates: plane (s, t) <-> canvas pixels, y up

function toPx(d, x, y) {
  return [(x - d[0]) / (d[1] - d[0]) * W, H - (y - d[2]) / (d[3] - d[2]) * H];
}

function toPlane(d, px, py) {
  return [d[0] + px / W * (d[1] - d[0]), d[2] + (H - py) / H * (d[3] - d[2])];
}

function defaultDomain(model) {
  return model.input_dim === 2 ? [0, 1, 0, 1] : [-1, 1, -1, 1];
}

// ---------- drawing

function regionPath(r, d) {
  const p = r.polygon;
  ctx.beginPath();
  for (let k = 0; k < p.length; k += 2) {
    const [x, y] = toPx(d, p[k], p[k + 1]);
    if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  }
  ctx.closePath();
}

function grey(f) {
  const g = Math.round(255 * Math.max(0, Math.min(1, f)));
  return `rgb(${g},${g},${g})`;
}

function draw() {
  ctx.clearRect(0, 0, W, H);
  const v = state.view;
  if (!v) return;
  const d = state.domain;
  const byOutput = state.shade === 'output';
  ctx.lineWidth = 0.6;
  ctx.strokeStyle = byOutput ? 'rgba(220,0,0,0.8)' : 'rgba(40,40,40,0.55)';
  for (const r of v.regions) {
    regionPath(r, d);
    ctx.fillStyle = byOutput ? grey(r.shade) : r.colour;
    ctx.fill();
    ctx.stroke();
  }
  if (state.pinned && state.pinned.region) {
    const pin = state.pinned.region;
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = '#ff6f00';
    for (const id of pin.neighbours) { regionPath(v.regions[id], d); ctx.stroke(); }
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#000';
    regionPath(pin, d);
    ctx.stroke();
  }
  if (state.segment) {
    const [ax, ay] = toPx(d, ...state.segment.from);
    const [bx, by] = toPx(d, ...state.segment.to);
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = '#0d47a1';
    ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
    ctx.fillStyle = '#0d47a1';
    for (const [x, y] of [[ax, ay], [bx, by]]) { ctx.beginPath(); ctx.arc(x, y, 4, 0, 2 * Math.PI); ctx.fill(); }
    if (state.segment.breaks) {
      ctx.fillStyle = '#fff';
      for (const t of state.segment.breaks) {
        const x = ax + t * (bx - ax), y = ay + t * (by - ay);
        ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
      }
    }
  }
}

// ---------- loading views

function planeParam() {
  return state.model.input_dim === 2 ? '' : `&plane=${encodeURIComponent(state.plane || 'random:1')}`;
}

function fmt(x, digits = 4) {
  if (x === null || x === undefined) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return (a >= 1e4 || a < 1e-3) ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

async function loadView() {
  const seq = ++state.requestSeq;
  if (state.abort) state.abort.abort();
  const abort = new AbortController();
  state.abort = abort;
  const d = state.domain.slice();
  canvas.dataset.state = 'loading';
  $('status').textContent = 'computing the exact partition…';
  const t0 = performance.now();
  try {
    const v = await api(`/api/regions?model=${state.model.id}&domain=${d.join(',')}${planeParam()}`, { signal: abort.signal });
    if (seq !== state.requestSeq) return;
    state.view = v;
    state.viewDomain = d;
    if (state.pinned) repin();
    draw();
    const ms = performance.now() - t0;
    $('status').textContent = `${v.count} regions · exact partition ${v.seconds.toFixed(3)} s · answer ${(ms / 1000).toFixed(3)} s · `
      + `view [${d.map((x) => fmt(x, 5)).join(', ')}]` + (v.anomalies ? ` · ${v.anomalies} anomalies` : '');
    canvas.dataset.state = 'ready';
    canvas.dataset.count = v.count;
    canvas.dataset.domain = d.join(',');   // what the canvas shows, for scripts and the browser test
    showError('');
  } catch (e) {
    if (e.name === 'AbortError' || seq !== state.requestSeq) return;
    canvas.dataset.state = 'error';
    $('status').textContent = 'no view: ' + e.message;
    showError(e.message);
  }
}

let viewTimer = null;
function scheduleView(delay = 120) {
  clearTimeout(viewTimer);
  viewTimer = setTimeout(loadView, delay);
}

// ---------- locating a region under the mouse (the polygons are convex, counter-clockwise)

function regionAt(s, t) {
  const v = state.view;
  if (!v) return null;
  for (const r of v.regions) {
    const p = r.polygon, n = p.length / 2;
    let inside = true;
    for (let k = 0; k < n && inside; k++) {
      const ax = p[2 * k], ay = p[2 * k + 1], bx = p[(2 * k + 2) % p.length], by = p[(2 * k + 3) % p.length];
      if ((bx - ax) * (t - ay) - (by - ay) * (s - ax) < 0) inside = false;
    }
    if (inside) return r;
  }
  return null;
}

// ---------- hover tooltip

let hoverTimer = null, hoverSeq = 0;

function patternSummary(p) {
  return p.layers.map((l) => l.active).join(' ');
}

function mapText(map) {
  if (!map) return '–';
  const names = ['s', 't'];
  return map.matrix.map((row, o) => {
    const terms = row.map((a, k) => `${fmt(a)}·${names[k] || 'x' + k}`).join(' + ');
    return `y${map.matrix.length > 1 ? o : ''} = ${terms} + ${fmt(map.offset[o])}`;
  }).join('<br>');
}

function showTip(px, py, region, point) {
  const tip = $('tip');
  let html = `<span class="swatch" style="background:${region.colour}"></span><b>region ${region.id}</b> <span class="mono">${region.hash}</span>`
    + `<br>area ${fmt(region.area)}`;
  if (point) {
    html += `<br>active units per layer: <span class="mono" id="tip-active">${patternSummary(point)}</span>`
      + (point.pattern.length <= 64 ? `<br>pattern: <code id="tip-bits">${point.layers.map((l) => l.bits).join(' | ')}</code>` : '')
      + `<br>distance to the boundary: ${fmt(point.boundary_distance)}`
      + `<br>affine map: ${mapText(point.region && point.region.map)}`
      + `<br>outputs: ${point.outputs.slice(0, 4).map((y) => fmt(y)).join(', ')}${point.outputs.length > 4 ? ', …' : ''}`;
    tip.dataset.pattern = point.pattern;
    tip.dataset.x = point.x.join(',');
  } else {
    html += '<br><i>…</i>';
    delete tip.dataset.pattern;
  }
  tip.innerHTML = html;
  tip.hidden = false;
  tip.style.left = Math.min(px + 14, W - 300) + 'px';
  tip.style.top = Math.min(py + 14, H - 120) + 'px';
}

function hover(px, py) {
  if (!state.view || state.drag) return;
  const [s, t] = toPlane(state.domain, px, py);
  const r = regionAt(s, t);
  if (!r) { $('tip').hidden = true; return; }
  showTip(px, py, r, null);
  clearTimeout(hoverTimer);
  const seq = ++hoverSeq;
  hoverTimer = setTimeout(async () => {
    try {
      const p = await api(`/api/point?model=${state.model.id}&x=${s},${t}&domain=${state.viewDomain.join(',')}${planeParam()}`);
      if (seq === hoverSeq) showTip(px, py, r, p);
    } catch (e) { /* the tooltip just stays short */ }
  }, 60);
}

// ---------- pinning

async function pin(s, t) {
  const r = regionAt(s, t);
  if (!r) return;
  try {
    const p = await api(`/api/point?model=${state.model.id}&x=${s},${t}&domain=${state.viewDomain.join(',')}${planeParam()}`);
    state.pinned = { region: r, point: p, hash: r.hash };
    draw();
    showPinned();
  } catch (e) { showError(e.message); }
}

function repin() {
  // after a new view (pan, zoom, next snapshot) the pinned pattern is looked up again by its hash
  const r = state.view.regions.find((x) => x.hash === state.pinned.hash);
  if (r) state.pinned.region = r; else { state.pinned = null; $('pinned').hidden = true; }
}

function unitLabel(u) {
  return u.layer ? `L${u.layer}u${u.unit}` : `bit ${u.bit}`;
}

function showPinned() {
  const { region: r, point: p } = state.pinned;
  const byHash = new Map(state.view.regions.map((x) => [x.hash, x]));
  let html = `<span class="swatch" style="background:${r.colour}"></span><b>region ${r.id}</b> <span class="mono">${r.hash}</span>`
    + `<br>area ${fmt(r.area)} · ${r.neighbours.length} neighbours (outlined in orange)`
    + `<br>active units per layer: <span class="mono">${patternSummary(p)}</span>`
    + (p.pattern.length <= 128
      ? `<br>pattern: <code>${p.layers.map((l) => l.bits).join(' | ')}</code>`
      : `<details><summary>pattern (${p.pattern.length} bits, layers separated by |)</summary><code>${p.layers.map((l) => l.bits).join(' | ')}</code></details>`)
    + `<br>affine map: ${mapText(p.region && p.region.map)}`
    + `<br>distance to the boundary from (${fmt(p.x[0])}, ${fmt(p.x[1])}): ${fmt(p.boundary_distance)}`
    + ` · in input space: ${fmt(p.input_space_distance)}`;
  if (p.region) {
    html += `<br><b>${p.region.inequalities.length} inequalities</b> (facets of ${p.region.rows} rows; n·(s,t) ≤ c):`;
    for (const q of p.region.inequalities) {
      const nb = q.neighbour_hash && byHash.get(q.neighbour_hash);
      const sw = nb ? `<span class="swatch" style="background:${nb.colour}"></span>` : '';
      const who = q.domain_boundary ? 'view edge' : q.units.map(unitLabel).join(', ');
      html += `<div class="ineq">${sw}${fmt(q.normal[0])}·s + ${fmt(q.normal[1])}·t ≤ ${fmt(q.offset)} <span>(${who})</span></div>`;
    }
  }
  $('pinned-body').innerHTML = html;
  $('pinned').hidden = false;
}

// ---------- line tool: 1-D view and space folding

async function loadLine() {
  const sg = state.segment;
  try {
    const l = await api(`/api/line?model=${state.model.id}&from=${sg.from.join(',')}&to=${sg.to.join(',')}${planeParam()}`);
    sg.breaks = l.breakpoints;
    draw();
    $('line').hidden = false;
    $('line-desc').innerHTML = `${l.count} linear pieces, ${l.breakpoints.length} breakpoints · chi = ${fmt(l.folding.chi)}`
      + ` (r1 ${l.folding.r1}, r2 ${l.folding.r2}, max running chi ${fmt(l.folding.max_running_chi)}) · ${l.seconds.toFixed(3)} s`;
    drawLineChart(l);
  } catch (e) { showError(e.message); }
}

function chartFrame(c, title) {
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = '#333';
  g.font = '11px system-ui, sans-serif';
  g.fillText(title, 6, 12);
  return g;
}

function drawLineChart(l) {
  const c = $('line-chart');
  const g = chartFrame(c, 'output 0 along the segment (t from 0 to 1), breakpoints as ticks');
  const x0 = 36, x1 = c.width - 6, y0 = c.height - 16, y1 = 18;
  let lo = Infinity, hi = -Infinity;
  for (const iv of l.intervals) { lo = Math.min(lo, iv.y0[0], iv.y1[0]); hi = Math.max(hi, iv.y0[0], iv.y1[0]); }
  if (!(hi > lo)) { hi = lo + 1; }
  const X = (t) => x0 + t * (x1 - x0), Y = (y) => y0 - (y - lo) / (hi - lo) * (y0 - y1);
  for (const iv of l.intervals) {           // each piece in its pattern's colour, as a band under the curve
    g.fillStyle = iv.colour;
    g.fillRect(X(iv.t0), y0 + 2, Math.max(1, X(iv.t1) - X(iv.t0)), 6);
  }
  g.strokeStyle = '#0d47a1';
  g.lineWidth = 1.5;
  g.beginPath();
  l.intervals.forEach((iv, k) => {
    if (k === 0) g.moveTo(X(iv.t0), Y(iv.y0[0]));
    g.lineTo(X(iv.t1), Y(iv.y1[0]));
  });
  g.stroke();
  g.strokeStyle = 'rgba(200,0,0,0.5)';
  g.lineWidth = 1;
  for (const t of l.breakpoints) { g.beginPath(); g.moveTo(X(t), y0); g.lineTo(X(t), y0 - 5); g.stroke(); }
  g.fillStyle = '#333';
  g.fillText(fmt(hi), 2, y1 + 8);
  g.fillText(fmt(lo), 2, y0);
  const cc = $('chi-chart');
  const h = chartFrame(cc, `running chi (space folding) over the ${l.count} pieces; final ${fmt(l.folding.chi)}`);
  const rc = l.folding.running_chi;
  const cy0 = cc.height - 8, cy1 = 18;
  h.strokeStyle = '#6a1b9a';
  h.lineWidth = 1.5;
  h.beginPath();
  rc.forEach((v, k) => {
    const x = x0 + (rc.length > 1 ? k / (rc.length - 1) : 0) * (x1 - x0), y = cy0 - v * (cy0 - cy1);
    if (k === 0) h.moveTo(x, y); else h.lineTo(x, y);
  });
  h.stroke();
  h.fillStyle = '#333';
  h.fillText('1', 24, cy1 + 6);
  h.fillText('0', 24, cy0);
}

// ---------- training runs: timeline, charts, play

function drawRunCharts() {
  const run = state.run;
  const cur = run.snapshots[state.snapshot].epoch;
  const rows = run.metrics;
  const maxEpoch = Math.max(1, ...run.snapshots.map((s) => s.epoch), ...rows.map((r) => r[0]));
  const series = (c, title, pick, logScale, colours) => {
    const g = chartFrame(c, title);
    const x0 = 40, x1 = c.width - 6, y0 = c.height - 14, y1 = 18;
    let lo = Infinity, hi = -Infinity;
    for (const p of pick) for (const [, v] of p) { if (v !== null && (!logScale || v > 0)) { const w = logScale ? Math.log10(v) : v; lo = Math.min(lo, w); hi = Math.max(hi, w); } }
    if (!(hi > lo)) { hi = lo + 1; }
    const X = (e) => x0 + e / maxEpoch * (x1 - x0), Y = (v) => y0 - ((logScale ? Math.log10(v) : v) - lo) / (hi - lo) * (y0 - y1);
    pick.forEach((p, k) => {
      g.strokeStyle = colours[k];
      g.lineWidth = 1.3;
      g.beginPath();
      let started = false;
      for (const [e, v] of p) {
        if (v === null || (logScale && !(v > 0))) continue;
        if (!started) { g.moveTo(X(e), Y(v)); started = true; } else g.lineTo(X(e), Y(v));
      }
      g.stroke();
    });
    g.strokeStyle = '#000';
    g.beginPath(); g.moveTo(X(cur), y0); g.lineTo(X(cur), y1); g.stroke();
    g.fillStyle = '#333';
    g.fillText(logScale ? '1e' + hi.toFixed(1) : fmt(hi), 2, y1 + 8);
    g.fillText(logScale ? '1e' + lo.toFixed(1) : fmt(lo), 2, y0);
  };
  series($('loss-chart'), 'loss (train blue, validation orange, log scale) against epoch',
    [rows.map((r) => [r[0], r[1]]), rows.map((r) => [r[0], r[2]])], true, ['#1565c0', '#ef6c00']);
  series($('count-chart'), 'exact regions on [0,1]² at each snapshot',
    [run.snapshots.map((s) => [s.epoch, s.regions >= 0 ? s.regions : null])], false, ['#2e7d32']);
  const s = run.snapshots[state.snapshot];
  $('epoch').textContent = `epoch ${s.epoch}` + (s.val_loss !== null ? ` · val loss ${fmt(s.val_loss)}` : '');
}

function selectSnapshot(k) {
  state.snapshot = k;
  $('timeline').value = k;
  const id = state.run.snapshots[k].model;
  state.model = state.models.find((m) => m.id === id);
  drawRunCharts();
  return loadView();
}

async function playLoop() {
  while (state.playing && state.run) {
    const next = state.snapshot + 1 < state.run.snapshots.length ? state.snapshot + 1 : 0;
    const t0 = performance.now();
    await selectSnapshot(next);
    const wait = Math.max(0, 500 - (performance.now() - t0));
    await new Promise((r) => setTimeout(r, wait));
  }
}

// ---------- planes for models with more than 2 inputs

function drawImages(points, side) {
  const box = $('images');
  box.innerHTML = '';
  if (!side) return;
  for (const p of points) {
    const c = document.createElement('canvas');
    c.width = side; c.height = side;
    const g = c.getContext('2d');
    const img = g.createImageData(side, side);
    let lo = Math.min(...p), hi = Math.max(...p);
    if (!(hi > lo)) hi = lo + 1;
    for (let k = 0; k < side * side; k++) {
      const v = Math.round(255 * (p[k] - lo) / (hi - lo));
      img.data[4 * k] = img.data[4 * k + 1] = img.data[4 * k + 2] = v;
      img.data[4 * k + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    box.appendChild(c);
  }
}

async function choosePlane(body) {
  try {
    const p = await api('/api/planes', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: state.model.id, ...body }) });
    state.plane = p.id;
    $('plane-desc').textContent = p.description;
    drawImages(p.points, p.image_side);
    state.domain = p.domain.slice();
    state.pinned = null; $('pinned').hidden = true;
    state.segment = null; $('line').hidden = true;
    await loadView();
  } catch (e) { showError(e.message); }
}

let filePoints = null;

function parsePoints(buf, name) {
  const bytes = new Uint8Array(buf);
  // IDX images (MNIST): magic 0x00000803, count, rows, cols, then unsigned bytes
  if (bytes.length > 16 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 8 && bytes[3] === 3) {
    const dv = new DataView(buf);
    const n = dv.getUint32(4), rows = dv.getUint32(8), cols = dv.getUint32(12);
    const size = rows * cols, out = [];
    for (let k = 0; k < Math.min(n, 1000); k++) out.push(Array.from(bytes.subarray(16 + k * size, 16 + (k + 1) * size), (v) => v / 255));
    return out;
  }
  const text = new TextDecoder().decode(bytes);
  if (/^\s*[[{]/.test(text)) {
    const j = JSON.parse(text);
    const arr = Array.isArray(j) ? j : (j.points || j.images || j.data);
    if (!Array.isArray(arr)) throw new Error(`${name}: expected a JSON array of points or {"points": [...]}`);
    return arr;
  }
  return text.split(/\r?\n/).filter((l) => l.trim() && !/^[a-zA-Z#]/.test(l.trim())).map((l) => l.split(/[,;\s]+/).filter((x) => x).map(Number));
}

// ---------- models

function modelOptions() {
  const sel = $('model');
  sel.innerHTML = '';
  for (const r of state.runs) {
    const o = document.createElement('option');
    o.value = 'run:' + r.id;
    o.textContent = `run: ${r.name} (${r.snapshots.length} snapshots)`;
    sel.appendChild(o);
  }
  for (const m of state.models) {
    if (m.run) continue;
    const o = document.createElement('option');
    o.value = m.id;
    o.textContent = `${m.name}`;
    sel.appendChild(o);
  }
}

async function refreshModels() {
  const j = await api('/api/models');
  state.models = j.models;
  state.runs = j.runs;
  modelOptions();
}

async function selectModel(value) {
  state.playing = false;
  $('play').textContent = 'play';
  state.pinned = null; $('pinned').hidden = true;
  state.segment = null; $('line').hidden = true;
  $('tip').hidden = true;
  $('model').value = value;
  if (value.startsWith('run:')) {
    state.run = state.runs.find((r) => r.id === value.slice(4));
    $('run').hidden = false;
    $('timeline').max = state.run.snapshots.length - 1;
    state.snapshot = state.run.snapshots.length - 1;
    state.model = state.models.find((m) => m.id === state.run.snapshots[state.snapshot].model);
  } else {
    state.run = null;
    $('run').hidden = true;
    state.model = state.models.find((m) => m.id === value);
  }
  state.domain = defaultDomain(state.model);
  state.view = null;
  draw();
  if (state.model.input_dim > 2) {
    $('plane').hidden = false;
    await choosePlane({ random: Number($('plane-seed').value) || 0 });
  } else {
    $('plane').hidden = true;
    state.plane = null;
    if (state.run) await selectSnapshot(state.snapshot); else await loadView();
  }
}

// ---------- events

let drag = null;
canvas.addEventListener('pointerdown', (ev) => {
  canvas.setPointerCapture(ev.pointerId);
  const px = ev.offsetX, py = ev.offsetY;
  drag = { px, py, domain: state.domain.slice(), moved: false, start: toPlane(state.domain, px, py) };
  state.drag = true;
  $('tip').hidden = true;
});

canvas.addEventListener('pointermove', (ev) => {
  const px = ev.offsetX, py = ev.offsetY;
  if (!drag) { hover(px, py); return; }
  if (Math.hypot(px - drag.px, py - drag.py) > 3) drag.moved = true;
  if (!drag.moved) return;
  if (state.tool === 'line') {
    state.segment = { from: drag.start, to: toPlane(state.domain, px, py) };
    draw();
  } else {
    const d = drag.domain, dx = (px - drag.px) / W * (d[1] - d[0]), dy = (py - drag.py) / H * (d[3] - d[2]);
    state.domain = [d[0] - dx, d[1] - dx, d[2] + dy, d[3] + dy];
    draw();
  }
});

canvas.addEventListener('pointerup', (ev) => {
  const px = ev.offsetX, py = ev.offsetY;
  const dr = drag;
  drag = null;
  state.drag = false;
  if (!dr) return;
  if (!dr.moved) { pin(...toPlane(state.domain, px, py)); return; }
  if (state.tool === 'line') {
    state.segment = { from: dr.start, to: toPlane(state.domain, px, py) };
    loadLine();
  } else {
    scheduleView(0);
  }
});

canvas.addEventListener('pointerleave', () => { $('tip').hidden = true; });

canvas.addEventListener('wheel', (ev) => {
  ev.preventDefault();
  const d = state.domain;
  const [s, t] = toPlane(d, ev.offsetX, ev.offsetY);
  const f = Math.exp(Math.sign(ev.deltaY) * 0.18);
  state.domain = [s + (d[0] - s) * f, s + (d[1] - s) * f, t + (d[2] - t) * f, t + (d[3] - t) * f];
  draw();
  scheduleView();
}, { passive: false });

$('model').addEventListener('change', (ev) => selectModel(ev.target.value));
$('shade').addEventListener('change', (ev) => { state.shade = ev.target.value; draw(); });
for (const r of document.querySelectorAll('input[name=tool]')) {
  r.addEventListener('change', (ev) => {
    state.tool = ev.target.value;
    canvas.classList.toggle('line-tool', state.tool === 'line');
  });
}
$('reset').addEventListener('click', () => { state.domain = defaultDomain(state.model); if (state.model.input_dim > 2) state.domain = [-1, 1, -1, 1]; loadView(); });
$('timeline').addEventListener('input', (ev) => selectSnapshot(Number(ev.target.value)));
$('play').addEventListener('click', () => {
  state.playing = !state.playing;
  $('play').textContent = state.playing ? 'pause' : 'play';
  if (state.playing) playLoop();
});
$('plane-random').addEventListener('click', () => choosePlane({ random: Number($('plane-seed').value) || 0 }));
$('points-file').addEventListener('change', async (ev) => {
  const f = ev.target.files[0];
  if (!f) return;
  try {
    filePoints = parsePoints(await f.arrayBuffer(), f.name);
    const dim = state.model.input_dim;
    const bad = filePoints.findIndex((p) => !Array.isArray(p) || p.length !== dim || p.some((v) => !Number.isFinite(v)));
    if (bad >= 0) throw new Error(`${f.name}: point ${bad} does not have ${dim} finite numbers`);
    $('points-info').textContent = `${filePoints.length} points from ${f.name}`;
    $('plane-points').disabled = false;
    filePoints.name = f.name;
    showError('');
  } catch (e) {
    filePoints = null;
    $('plane-points').disabled = true;
    showError(e.message);
  }
  ev.target.value = '';
});
$('plane-points').addEventListener('click', () => {
  const idx = ['row-a', 'row-b', 'row-c'].map((id) => Number($(id).value));
  if (idx.some((k) => !(k >= 0 && k < filePoints.length))) { showError(`rows must lie between 0 and ${filePoints.length - 1}`); return; }
  choosePlane({ points: idx.map((k) => filePoints[k]), label: `plane through rows ${idx.join(', ')} of ${filePoints.name}` });
});
$('upload').addEventListener('change', async (ev) => {
  const f = ev.target.files[0];
  ev.target.value = '';
  if (!f) return;
  try {
    const m = await api(`/api/models?name=${encodeURIComponent(f.name)}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: await f.arrayBuffer() });
    await refreshModels();
    showError('');
    await selectModel(m.id);
  } catch (e) {
    showError(`could not open ${f.name}: ${e.message}`);
  }
});

(async function start() {
  try {
    await refreshModels();
    const first = state.models.find((m) => !m.run);
    await selectModel(first ? first.id : 'run:' + state.runs[0].id);
  } catch (e) {
    showError(e.message);
  }
})();
