"use strict";
// The review page's behaviour: list, filter, keyboard, choices kept in localStorage, corrections saved as JSON.
const DATA = JSON.parse(document.getElementById("data").textContent);
const ID = 0, KIND = 1, CERT = 2, REVIEWED = 3, ORDER = 4, BEFORE = 5, DECIDED = 6, AFTER = 7, ORIGINAL = 8, SOURCE = 9;
const ROWS = DATA.decisions;
const STORAGE_KEY = "kzarchive-review:" + DATA.identity.document + ":" + DATA.identity.sha256;
const STATE_LABELS = {accept: "accepted", revert: "reverted", edit: "corrected"};
const list = document.getElementById("list");
const kindSelect = document.getElementById("kind");
const openOnly = document.getElementById("open-only");
const items = [];
const rendered = new Uint8Array(ROWS.length);
// rows are filled in as they come near the screen: 004's 2 300 rows open as fast as 001's hundred
const observer = new IntersectionObserver(entries => {
  for (const entry of entries) if (entry.isIntersecting) ensureRendered(Number(entry.target.dataset.index));
}, {rootMargin: "2000px 0px"});
let state = loadState();
let visible = [];
let current = 0;
let editing = -1;

function loadState() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY));
    if (saved && saved.choices) return {choices: saved.choices, history: saved.history || []};
  } catch (e) { /* no storage or unreadable: start afresh */ }
  return {choices: {}, history: []};
}

function storeState() {
  try { localStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (e) { /* private mode: kept in memory */ }
}

function certLabel(cert) {
  return cert >= DATA.thresholds.high ? "high" : cert >= DATA.thresholds.medium ? "medium" : "low";
}

function node(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function shownForm(row, choice) {
  // [text, struck]: what the reading holds at the decision under the archivist's choice
  const action = choice ? choice.action : "accept";
  if (action === "edit") return [choice.form, false];
  if (action === "revert") return row[ORIGINAL] ? [row[ORIGINAL], false] : [row[DECIDED] || row[SOURCE], true];
  return row[DECIDED] ? [row[DECIDED], false] : [row[SOURCE], true];
}

function ensureRendered(i) {
  if (!rendered[i]) renderRow(i);
}

function renderRow(i) {
  const row = ROWS[i], li = items[i], kind = DATA.kinds[row[KIND]], choice = state.choices[row[ID]];
  if (!rendered[i]) { rendered[i] = 1; observer.unobserve(li); }
  li.textContent = "";
  li.className = (choice ? choice.action : "") + (visible[current] === i ? " current" : "");
  const act = node("span", "act");
  for (const [action, key, allowed] of [["accept", "a", true], ["revert", "r", kind.revert], ["edit", "e", kind.edit]]) {
    const button = node("button", "", action + " (" + key + ")");
    button.type = "button";
    button.disabled = !allowed;
    button.dataset.action = action;
    act.append(button);
  }
  const meta = node("div", "meta");
  meta.append(node("span", "cert " + certLabel(row[CERT]), certLabel(row[CERT]) + " " + row[CERT].toFixed(2)),
              node("span", "kind", kind.label), node("span", "id", row[ID]));
  if (row[REVIEWED]) meta.append(node("span", "reviewed", "reviewed before"));
  meta.append(node("span", "state", choice ? STATE_LABELS[choice.action] : ""));
  const ctx = node("div", "ctx");
  ctx.append(node("span", "side", (row[BEFORE] ? "…" + row[BEFORE] : "")));
  if (editing === i) {
    const input = node("input", "form");
    input.value = choice && choice.action === "edit" ? choice.form : row[DECIDED];
    input.setAttribute("aria-label", "the right form");
    ctx.append(input);
  } else {
    const [text, struck] = shownForm(row, choice);
    ctx.append(node("mark", struck ? "gone" : "", text));
  }
  ctx.append(node("span", "side", (row[AFTER] ? row[AFTER] + "…" : "")));
  const alt = node("div", "alt");
  if (row[SOURCE] && row[SOURCE] !== row[DECIDED]) {
    alt.append("source: ", node("b", "", row[SOURCE]));
  }
  if (kind.revert && row[ORIGINAL] !== row[SOURCE]) {
    alt.append(alt.childNodes.length ? " · " : "", "revert gives: ", node("b", "", row[ORIGINAL] || "(nothing)"));
  }
  li.append(act, meta, ctx, alt);
  if (editing === i) {
    const input = li.querySelector("input");
    input.focus();
    input.select();
  }
}

function buildList() {
  const fragment = document.createDocumentFragment();
  ROWS.forEach((row, i) => {
    const li = node("li", "todo");
    li.dataset.index = i;
    items.push(li);
    observer.observe(li);
    fragment.append(li);
  });
  list.append(fragment);
  const counts = {};
  for (const row of ROWS) counts[row[KIND]] = (counts[row[KIND]] || 0) + 1;
  kindSelect.append(new Option("all kinds (" + ROWS.length + ")", ""));
  for (const key of Object.keys(DATA.kinds)) {
    if (counts[key]) kindSelect.append(new Option(DATA.kinds[key].label + " (" + counts[key] + ")", key));
  }
}

function applyFilter() {
  const kind = kindSelect.value, open = openOnly.checked;
  const keep = visible[current];
  visible = [];
  ROWS.forEach((row, i) => {
    const shown = (!kind || row[KIND] === kind) && (!open || !state.choices[row[ID]] || i === keep);
    items[i].hidden = !shown;
    if (shown) visible.push(i);
  });
  current = Math.max(0, visible.indexOf(keep));
  document.getElementById("empty").hidden = visible.length > 0;
  focusCurrent();
}

let focused = null;

function focusCurrent() {
  if (focused) focused.classList.remove("current");
  focused = null;
  const i = visible[current];
  if (i === undefined) return;
  ensureRendered(i);
  focused = items[i];
  focused.classList.add("current");
  focused.scrollIntoView({block: "nearest"});
}

function move(step) {
  if (!visible.length) return;
  current = Math.min(visible.length - 1, Math.max(0, current + step));
  focusCurrent();
}

function choose(action, form) {
  const i = visible[current];
  if (i === undefined) return;
  const row = ROWS[i], kind = DATA.kinds[row[KIND]];
  if ((action === "revert" && !kind.revert) || (action === "edit" && !kind.edit)) return;
  if (action === "edit" && form === row[DECIDED]) action = "accept";
  state.history.push([row[ID], state.choices[row[ID]] || null]);
  state.choices[row[ID]] = action === "edit" ? {action, form} : {action};
  storeState();
  renderRow(i);
  progress();
  move(1);
}

function undo() {
  const last = state.history.pop();
  if (!last) return;
  const [id, previous] = last;
  if (previous) state.choices[id] = previous; else delete state.choices[id];
  storeState();
  const i = ROWS.findIndex(row => row[ID] === id);
  if (items[i].hidden) { kindSelect.value = ""; openOnly.checked = false; visible = []; applyFilter(); }
  current = Math.max(0, visible.indexOf(i));
  renderRow(i);
  progress();
  focusCurrent();
}

function startEdit() {
  const i = visible[current];
  if (i === undefined || !DATA.kinds[ROWS[i][KIND]].edit) return;
  editing = i;
  renderRow(i);
}

function finishEdit(commit) {
  const i = editing;
  const value = items[i].querySelector("input").value.trim();
  editing = -1;
  if (commit && value) choose("edit", value); else renderRow(i);
}

function progress() {
  const counts = {accept: 0, revert: 0, edit: 0};
  let decided = 0;
  for (const row of ROWS) {
    const choice = state.choices[row[ID]];
    if (choice) { decided++; counts[choice.action]++; }
  }
  document.getElementById("progress").textContent = decided + " of " + ROWS.length + " decided · " +
    counts.accept + " accepted, " + counts.revert + " reverted, " + counts.edit + " corrected";
  document.getElementById("meter").style.width = (ROWS.length ? 100 * decided / ROWS.length : 0) + "%";
}

function corrections() {
  const decisions = ROWS.filter(row => state.choices[row[ID]])
    .sort((a, b) => a[ORDER] - b[ORDER])
    .map(row => Object.assign({id: row[ID], kind: row[KIND]}, state.choices[row[ID]]));
  return {format: DATA.format, version: DATA.version, document: DATA.identity.document,
          tei: {name: DATA.identity.name, sha256: DATA.identity.sha256},
          saved: new Date().toISOString(), decisions};
}

function save() {
  const blob = new Blob([JSON.stringify(corrections(), null, 1) + "\n"], {type: "application/json"});
  const link = node("a");
  link.href = URL.createObjectURL(blob);
  link.download = DATA.stem + ".corrections.json";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

document.addEventListener("keydown", event => {
  if (editing >= 0) {
    if (event.key === "Enter") { event.preventDefault(); finishEdit(true); }
    else if (event.key === "Escape") { event.preventDefault(); finishEdit(false); }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || event.target.tagName === "SELECT") return;
  const actions = {
    j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
    a: () => choose("accept"), r: () => choose("revert"), e: startEdit, u: undo, s: save,
  };
  const action = actions[event.key];
  if (action) { event.preventDefault(); action(); }
});

list.addEventListener("click", event => {
  const li = event.target.closest("li");
  if (!li || editing >= 0) return;
  current = Math.max(0, visible.indexOf(Number(li.dataset.index)));
  focusCurrent();
  const action = event.target.dataset && event.target.dataset.action;
  if (action === "edit") startEdit(); else if (action) choose(action);
});
kindSelect.addEventListener("change", () => { applyFilter(); kindSelect.blur(); });
openOnly.addEventListener("change", () => { applyFilter(); openOnly.blur(); });
document.getElementById("save").addEventListener("click", save);

buildList();
applyFilter();
progress();
