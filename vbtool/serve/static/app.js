/* vbtool serve: the editor page. Plain JavaScript, no build step, no external resources.
 *
 * The page keeps the document as plain data (S.data, the same JSON the YAML holds) and as
 * YAML text (S.text). The form edits S.data and asks the server for the YAML text (the server
 * merges the change into the previous text, keeping comments); the YAML tab edits S.text and
 * asks the server for the data. Either way the server answers with the same problems
 * `vbtool validate` prints, and the page shows each one at its field.
 */
"use strict";

const TOKEN = document.querySelector('meta[name="vbtool-token"]').content;
const $ = (sel, root = document) => root.querySelector(sel);

const S = {
  path: null, isNew: false, suggested: "ke-hoach-moi.yaml",
  text: "", data: null, problems: [], placeholders: 0,
  dirty: false, schema: null, units: { units: [], groups: [], vague: [], signers: [], registry: null },
  options: [], undo: [], syncSeq: 0, previewRev: 0, shownRev: 0, zoom: 1, fit: true,
  autosaveText: null, inFlight: 0,
};

/* ------------------------------------------------------------------ server */

async function api(name, body, opts = {}) {
  const init = { method: body === undefined ? "GET" : "POST", headers: { "X-Vbtool-Token": TOKEN } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch("/api/" + name, init);
  } catch (e) {
    throw Object.assign(new Error("Không kết nối được máy chủ vbtool (lệnh vbtool serve đã dừng?). Nội dung đang soạn vẫn còn trong tab YAML; bản tự lưu gần nhất ở tệp ẩn .<tên tệp>.tu-luu, được đề nghị khôi phục khi chạy lại lệnh và mở lại tệp."),
      { status: 0, problems: [] });
  }
  if (opts.raw && resp.ok) return resp;
  let out = {};
  try { out = await resp.json(); } catch (e) { out = { error: "Máy chủ trả lời không hợp lệ (mã " + resp.status + ")." }; }
  if (!resp.ok) {
    const err = new Error(out.error || "Lỗi " + resp.status);
    err.status = resp.status; err.problems = out.problems || [];
    throw err;
  }
  return out;
}

/* ------------------------------------------------------------------ small helpers */

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
}

function pathStr(path) {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : (out ? "." : "") + p;
  return out;
}

function getAt(path) {
  let cur = S.data;
  for (const p of path) { if (cur === null || cur === undefined) return undefined; cur = cur[p]; }
  return cur;
}

function setAt(path, value) {
  let cur = S.data;
  for (let i = 0; i < path.length - 1; i++) {
    if (cur[path[i]] === undefined || cur[path[i]] === null) cur[path[i]] = typeof path[i + 1] === "number" ? [] : {};
    cur = cur[path[i]];
  }
  const last = path[path.length - 1];
  if (value === undefined) { if (Array.isArray(cur)) cur.splice(last, 1); else delete cur[last]; }
  else cur[last] = value;
}

/* Vietnamese without diacritics, lower case: "Sở Tư pháp" -> "so tu phap". */
function fold(s) {
  return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
}

let toastTimer = null;
function toast(msg, kind = "", action = null) {
  const t = $("#toast");
  t.replaceChildren(document.createTextNode(msg));
  if (action) t.append(el("button", { type: "button", onclick: () => { t.hidden = true; action.run(); } }, action.label));
  t.className = "toast " + kind; t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, kind === "error" ? 9000 : 5000);
}

function debounce(fn, ms) {
  let timer = null, pending = null;
  const d = (...args) => { pending = args; clearTimeout(timer); timer = setTimeout(() => { const a = pending; pending = null; fn(...a); }, ms); };
  d.flush = () => { if (pending) { clearTimeout(timer); const a = pending; pending = null; return fn(...a); } return Promise.resolve(); };
  d.pending = () => pending !== null;
  return d;
}

/* ------------------------------------------------------------------ labels from the schema */

const LABELS = {
  loai: "Loại văn bản", the_thuc: "Thể thức", "co_quan.cap_tren": "Cơ quan cấp trên", "co_quan.ten": "Tên cơ quan ban hành",
  "co_quan.ky_hieu": "Ký hiệu cơ quan", "co_quan.ten_goi": "Tên gọi trong câu văn", so: "Số", ngay: "Ngày ban hành",
  dia_danh: "Địa danh", trich_yeu: "Trích yếu", kinh_gui: "Kính gửi",
  nhiem_vu: "Nội dung nhiệm vụ", tieu_de: "Tiêu đề (in đậm)", ma: "Mã nhiệm vụ", chu_tri: "Chủ trì", thuc_hien: "Thực hiện",
  phoi_hop: "Phối hợp", lanh_dao_phu_trach: "Lãnh đạo phụ trách", tham_muu: "Tham mưu", thoi_gian: "Thời gian",
  san_pham: "Sản phẩm", ket_qua: "Kết quả thực hiện",
  thay_mat: "Thay mặt (TM.)", ky_thay: "Ký thay (KT.)", thua_lenh: "Thừa lệnh (TL.)", thua_uy_quyen: "Thừa ủy quyền (TUQ.)",
  chuc_vu: "Chức vụ người ký", ho_ten: "Họ và tên người ký",
};
const ENUM_LABELS = { ke_hoach: "Kế hoạch", bao_cao: "Báo cáo", nha_nuoc: "Nhà nước (NĐ 30/2020)", dang: "Đảng (HD 36)" };
const TASK_CORE = ["nhiem_vu", "chu_tri", "phoi_hop", "thoi_gian", "san_pham"];
const HANDLED = new Set(["loai", "the_thuc", "co_quan", "so", "ngay", "dia_danh", "trich_yeu", "kinh_gui", "mo_dau",
  "noi_dung", "ky", "noi_nhan", "luu"]);

function schemaProp(path) {
  // path like ["co_quan", "ten"] or ["$node", "chu_tri"]
  if (!S.schema) return {};
  let cur = path[0] === "$node" ? S.schema.$defs.node : S.schema.properties[path[0]];
  for (const p of path.slice(1)) cur = (cur && cur.properties && cur.properties[p]) || (path[0] === "$node" ? S.schema.$defs.node.properties[p] : null);
  return cur || {};
}

function isUnitField(name) {
  const p = S.schema ? S.schema.$defs.node.properties[name] : null;
  return !!p && Array.isArray(p.type) && p.type.includes("array") && p.items && p.items.type === "string" && p.items.minLength === 1;
}

/* ------------------------------------------------------------------ form fields */

let fieldCounter = 0;

function markPlaceholder(input) {
  input.classList.toggle("ph", /\[\[.*?\]\]/.test(input.value));
  if (input.tagName === "TEXTAREA" && input.id !== "yaml-text") grow(input);
}

/* Text areas grow with their text (up to 14 lines), so a long trích yếu is read whole. */
function grow(ta) {
  if (!ta.isConnected) { requestAnimationFrame(() => ta.isConnected && grow(ta)); return; }
  if (ta.offsetParent === null) return;               // hidden tab: sized when the tab is shown
  ta.style.height = "auto";
  const line = parseFloat(getComputedStyle(ta).lineHeight) || 20;
  ta.style.height = Math.min(ta.scrollHeight + 2, line * 14) + "px";
}

/* A text field bound to S.data at `path`. kind: text | area | number | select */
function field(path, opts = {}) {
  const id = "f" + (++fieldCounter);
  const ps = pathStr(path);
  const sch = opts.schema || {};
  const label = opts.label || LABELS[ps] || LABELS[path[path.length - 1]] || path[path.length - 1];
  let value = getAt(path);
  let input;
  if (opts.kind === "select") {
    input = el("select", { id });
    for (const v of opts.options) input.append(el("option", { value: v, selected: v === value }, ENUM_LABELS[v] || v));
  } else if (opts.kind === "area") {
    input = el("textarea", { id, rows: opts.rows || 2 });
    input.value = value === undefined || value === null ? "" : String(value);
  } else {
    input = el("input", { id, type: "text", list: opts.list || null, inputmode: opts.kind === "number" ? "numeric" : null });
    input.value = value === undefined || value === null ? "" : String(value);
  }
  input.dataset.path = ps;
  const err = el("div", { class: "err", id: id + "-err", "data-err": ps });
  input.setAttribute("aria-describedby", id + "-err" + (sch.description ? " " + id + "-help" : ""));
  const handler = () => {
    let v = input.value;
    if (opts.convert) v = opts.convert(v);
    setAt(path, v);
    markPlaceholder(input);
    changed();
  };
  input.addEventListener(opts.kind === "select" ? "change" : "input", handler);
  markPlaceholder(input);
  const wrap = el("div", { class: "field" }, el("label", { for: id }, label), input, err);
  if (sch.description && !opts.noHelp) wrap.insertBefore(el("div", { class: "help", id: id + "-help" }, sch.description), err);
  if (opts.remove) {
    const rm = el("button", { type: "button", class: "rmfield", "aria-label": "Bỏ trường " + label, title: "Bỏ trường này",
      onclick: () => { structural(() => setAt(path, undefined)); } }, "×");
    wrap.firstChild.append(" ", rm);
  }
  return wrap;
}

/* "2024" stays a number for `ngay` and `so`; "" for `so` is null. */
const toIntOrString = (v) => (/^\d{4}$/.test(v.trim()) ? parseInt(v, 10) : v);
const toIntOrNull = (v) => (v.trim() === "" ? null : /^\d+$/.test(v.trim()) ? parseInt(v, 10) : v);

/* A list of strings (mở đầu, kính gửi): one textarea per item. */
function stringList(path, opts) {
  const box = el("div", { class: "group", "data-path": pathStr(path) });
  box.append(el("h3", {}, opts.title));
  let value = getAt(path);
  if (typeof value === "string") { value = [value]; setAt(path, value); }
  (value || []).forEach((_, i) => {
    const p = [...path, i];
    const id = "f" + (++fieldCounter);
    const ta = el(opts.single ? "input" : "textarea", { id, rows: 2, "aria-label": `${opts.item} ${i + 1}`, "data-path": pathStr(p) });
    ta.value = getAt(p) || "";
    markPlaceholder(ta);
    ta.addEventListener("input", () => { setAt(p, ta.value); markPlaceholder(ta); changed(); });
    box.append(el("div", { class: "row" }, el("div", { class: "grow" }, ta, el("div", { class: "err", "data-err": pathStr(p) })),
      itemTools(path, i, opts.item)));
  });
  box.append(el("div", { class: "err", "data-err": pathStr(path) }));
  box.append(el("div", { class: "addbar" }, el("button", { type: "button", onclick: () => structural(() => {
    const cur = getAt(path); if (Array.isArray(cur)) cur.push(""); else setAt(path, [""]);
  }, [...path, (getAt(path) || []).length]) }, "+ " + opts.item)));
  return box;
}

/* Move up / down / delete buttons for item i of the list at `path`. */
function itemTools(path, i, what) {
  const list = getAt(path);
  return el("span", { class: "tools" },
    el("button", { type: "button", "aria-label": `Đưa ${what} ${i + 1} lên`, title: "Lên", disabled: i === 0,
      onclick: () => structural(() => swap(list, i, i - 1), [...path, i - 1]) }, "↑"),
    el("button", { type: "button", "aria-label": `Đưa ${what} ${i + 1} xuống`, title: "Xuống", disabled: i === list.length - 1,
      onclick: () => structural(() => swap(list, i, i + 1), [...path, i + 1]) }, "↓"),
    el("button", { type: "button", "aria-label": `Xóa ${what} ${i + 1}`, title: "Xóa",
      onclick: () => structural(() => list.splice(i, 1), null, `Đã xóa ${what}.`) }, "×"));
}

function swap(list, a, b) { const t = list[a]; list[a] = list[b]; list[b] = t; }

/* ------------------------------------------------------------------ unit picker */

function buildOptions() {
  const opts = [];
  for (const u of S.units.units) {
    const seen = new Set();
    for (const n of [u.ten_goi, ...u.names]) {
      if (!n || seen.has(n)) continue;
      seen.add(n);
      opts.push({ value: n, note: n === u.ten_goi ? "đơn vị" : "tên khác của " + u.ten_goi, key: fold(n) });
    }
  }
  for (const g of S.units.groups) for (const ph of g.phrases) opts.push({ value: ph, note: "nhóm", key: fold(ph) });
  for (const v of S.units.vague || []) opts.push({ value: v, note: "không chỉ định", key: fold(v) });
  S.options = opts;
}

function searchUnits(q) {
  const words = fold(q).split(/\s+/).filter(Boolean);
  if (!words.length) return S.options.slice(0, 8);
  const hits = S.options.filter((o) => words.every((w) => o.key.includes(w)));
  hits.sort((a, b) => (a.key.startsWith(words[0]) ? 0 : 1) - (b.key.startsWith(words[0]) ? 0 : 1) || a.value.length - b.value.length);
  return hits.slice(0, 8);
}

function unitPicker(path, label) {
  const ps = pathStr(path);
  const id = "f" + (++fieldCounter);
  let value = getAt(path);
  if (typeof value === "string") value = [value];
  value = value || [];
  const chips = el("ul", { class: "chips" });
  const input = el("input", { id, type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
    "aria-controls": id + "-list", placeholder: "gõ tên đơn vị…", title: "Gõ tên đơn vị (không dấu cũng được); mũi tên lên, xuống để chọn, Enter để thêm; tên không có trong danh mục cũng thêm được bằng Enter", "data-path": ps,
    "aria-describedby": id + "-err" });
  const list = el("ul", { class: "suggest", role: "listbox", id: id + "-list", hidden: true });
  const box = el("div", { class: "picker", "data-path": ps, onclick: (e) => { if (e.target === box) input.focus(); } }, chips, input, list);
  let active = -1, hits = [];

  const commit = (arr) => { setAt(path, arr); value = arr; drawChips(); changed(); };
  function drawChips() {
    chips.replaceChildren(...value.map((v, i) => el("li", { class: "chip" + (/\[\[/.test(v) ? " ph" : ""), "data-path": pathStr([...path, i]) }, v,
      el("button", { type: "button", "aria-label": "Bỏ " + v, onclick: () => { commit(value.filter((_, j) => j !== i)); input.focus(); } }, "×"))));
  }
  function drawList() {
    list.replaceChildren(...hits.map((h, i) => el("li", { role: "option", id: `${id}-o${i}`, "aria-selected": i === active ? "true" : "false",
      onmousedown: (e) => { e.preventDefault(); pick(h.value); } }, h.value, " ", el("small", {}, "· " + h.note))));
    list.hidden = !hits.length;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    if (active >= 0) input.setAttribute("aria-activedescendant", `${id}-o${active}`); else input.removeAttribute("aria-activedescendant");
  }
  function pick(v) {
    v = v.trim();
    if (v && !value.includes(v)) commit([...value, v]);
    input.value = ""; hits = []; active = -1; drawList();
  }
  input.addEventListener("input", () => { hits = input.value.trim() ? searchUnits(input.value) : []; active = hits.length ? 0 : -1; drawList(); });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && hits.length) { active = (active + 1) % hits.length; drawList(); e.preventDefault(); }
    else if (e.key === "ArrowUp" && hits.length) { active = (active - 1 + hits.length) % hits.length; drawList(); e.preventDefault(); }
    else if (e.key === "Enter") { e.preventDefault(); if (active >= 0 && hits[active]) pick(hits[active].value); else pick(input.value); }
    else if (e.key === "Escape") { hits = []; active = -1; drawList(); }
    else if (e.key === "Backspace" && !input.value && value.length) commit(value.slice(0, -1));
  });
  input.addEventListener("blur", () => { hits = []; drawList(); });
  drawChips();
  return el("div", { class: "field" }, el("label", { for: id }, label), box, el("div", { class: "err", id: id + "-err", "data-err": ps }));
}

/* ------------------------------------------------------------------ body tree */

function nodeKind(n) {
  if (typeof n === "string") return "doan";
  if (n && typeof n === "object") {
    if ("muc" in n) return "muc";
    if ("nhiem_vu" in n) return "nv";
    if ("gach" in n) return "gach";
    if ("doan" in n) return "doan-obj";
  }
  return "other";
}
const KIND_NAMES = { muc: "Mục", nv: "Nhiệm vụ", gach: "Gạch đầu dòng", doan: "Đoạn", "doan-obj": "Đoạn", other: "Phần khác" };

function newNode(kind) {
  if (kind === "muc") return { muc: "", noi_dung: [""] };
  if (kind === "nv") return { nhiem_vu: "", chu_tri: [], thoi_gian: "" };
  if (kind === "gach") return { gach: [""] };
  return "";
}

function addBar(listPath, where) {
  const add = (kind) => structural(() => {
    let list = getAt(listPath);
    if (!Array.isArray(list)) { setAt(listPath, []); list = getAt(listPath); }
    list.push(newNode(kind));
  }, [...listPath, (getAt(listPath) || []).length]);
  return el("div", { class: "addbar" },
    el("button", { type: "button", onclick: () => add("muc") }, `+ Mục${where}`),
    el("button", { type: "button", onclick: () => add("nv") }, `+ Nhiệm vụ${where}`),
    el("button", { type: "button", onclick: () => add("doan") }, `+ Đoạn${where}`),
    el("button", { type: "button", onclick: () => add("gach") }, `+ Gạch đầu dòng${where}`));
}

function renderNodes(listPath, depth) {
  const list = getAt(listPath) || [];
  const box = el("div", { class: "children", "data-path": pathStr(listPath) });
  list.forEach((n, i) => box.append(renderNode([...listPath, i], depth)));
  box.append(el("div", { class: "err", "data-err": pathStr(listPath) }));
  return box;
}

function nodeTitle(path) {
  // "Mục 2.1" style position, for button labels read by screen readers
  return path.filter((p) => typeof p === "number").map((p) => p + 1).join(".");
}

function renderNode(path, depth) {
  const n = getAt(path);
  const kind = nodeKind(n);
  const listPath = path.slice(0, -1), i = path[path.length - 1];
  const list = getAt(listPath);
  const pos = nodeTitle(path);
  const what = `${KIND_NAMES[kind].toLowerCase()} ${pos}`;
  const head = el("div", { class: "node-head" },
    el("span", { class: "kind" }, `${KIND_NAMES[kind]} ${pos}`),
    el("span", { class: "spacer" }),
    el("span", { class: "tools" },
      el("button", { type: "button", "aria-label": `Đưa ${what} lên`, title: "Lên", disabled: i === 0,
        onclick: () => structural(() => swap(list, i, i - 1), [...listPath, i - 1]) }, "↑"),
      el("button", { type: "button", "aria-label": `Đưa ${what} xuống`, title: "Xuống", disabled: i === list.length - 1,
        onclick: () => structural(() => swap(list, i, i + 1), [...listPath, i + 1]) }, "↓"),
      el("button", { type: "button", "aria-label": `Lùi ${what} ra ngoài một cấp`, title: "Lùi ra (lên cấp trên)",
        disabled: listPath.length < 3, onclick: () => outdent(path) }, "⇤"),
      el("button", { type: "button", "aria-label": `Thụt ${what} vào mục ngay trên`, title: "Thụt vào mục ngay trên",
        disabled: !(i > 0 && nodeKind(list[i - 1]) === "muc"), onclick: () => indent(path) }, "⇥"),
      el("button", { type: "button", "aria-label": `Xóa ${what}`, title: "Xóa",
        onclick: () => structural(() => list.splice(i, 1), null, `Đã xóa ${what}.`) }, "×")));
  const card = el("div", { class: "node k-" + kind, "data-path": pathStr(path) }, head);
  if (kind === "doan") {
    card.append(field(path, { kind: "area", label: "Nội dung đoạn", rows: 2 }));
  } else if (kind === "doan-obj") {
    card.append(field([...path, "doan"], { kind: "area", label: "Nội dung đoạn", rows: 2 }));
  } else if (kind === "muc") {
    card.append(field([...path, "muc"], { label: "Tiêu đề mục" }));
    card.append(renderNodes([...path, "noi_dung"], depth + 1));
    card.append(addBar([...path, "noi_dung"], " con"));
  } else if (kind === "nv") {
    card.append(taskFields(path));
  } else if (kind === "gach") {
    card.append(bullets(path));
  } else {
    card.append(el("p", { class: "other" }, "Phần này sửa trong tab YAML."));
  }
  card.append(el("div", { class: "err", "data-err": pathStr(path) }));
  return card;
}

function taskFields(path) {
  const n = getAt(path);
  const box = el("div", {});
  if (Array.isArray(n.nhiem_vu)) n.nhiem_vu = n.nhiem_vu.join("\n\n");
  box.append(field([...path, "nhiem_vu"], { kind: "area", label: "Nội dung nhiệm vụ", rows: 2,
    convert: (v) => (/\n\s*\n/.test(v) ? v.split(/\n\s*\n/).map((x) => x.trim()).filter(Boolean) : v) }));
  const fields = Object.keys(S.schema.$defs.node.properties).filter((k) => !["muc", "doan", "gach", "noi_dung", "nhiem_vu"].includes(k));
  const shown = fields.filter((k) => k in n || TASK_CORE.includes(k));
  const grid = el("div", { class: "grid2" });
  for (const k of shown) {
    if (!(k in n)) continue;
    if (isUnitField(k)) grid.append(unitPicker([...path, k], LABELS[k] || k));
    else grid.append(field([...path, k], { label: LABELS[k] || k, remove: !TASK_CORE.includes(k) }));
  }
  box.append(grid);
  const missing = fields.filter((k) => !(k in n));
  if (missing.length) {
    const sel = el("select", { "aria-label": "Thêm trường cho nhiệm vụ", class: "addfield" },
      el("option", { value: "" }, "+ Thêm trường…"),
      ...missing.map((k) => el("option", { value: k, title: S.schema.$defs.node.properties[k].description || "" }, LABELS[k] || k)));
    sel.addEventListener("change", () => {
      const k = sel.value; if (!k) return;
      structural(() => { n[k] = isUnitField(k) ? [] : ""; }, [...path, k]);
    });
    box.append(sel);
  }
  return box;
}

function bullets(path) {
  const n = getAt(path);
  const box = el("div", {});
  const items = n.gach || [];
  items.forEach((it, j) => {
    const p = typeof it === "string" ? [...path, "gach", j] : [...path, "gach", j, "doan"];
    const id = "f" + (++fieldCounter);
    const inp = el("textarea", { id, rows: 1, "aria-label": `Ý gạch đầu dòng ${j + 1}`, "data-path": pathStr(p) });
    inp.value = getAt(p) || "";
    markPlaceholder(inp);
    inp.addEventListener("input", () => { setAt(p, inp.value); markPlaceholder(inp); changed(); });
    const extra = typeof it === "object" && it.cong ? el("div", { class: "other" }, `(${it.cong.length} ý “+” bên dưới: sửa trong tab YAML)`) : null;
    box.append(el("div", { class: "row" }, el("span", {}, "–"), el("div", { class: "grow" }, inp, extra,
      el("div", { class: "err", "data-err": pathStr([...path, "gach", j]) })), itemTools([...path, "gach"], j, "ý")));
  });
  box.append(el("div", { class: "addbar" }, el("button", { type: "button",
    onclick: () => structural(() => items.push(""), [...path, "gach", items.length]) }, "+ Ý gạch đầu dòng")));
  if (!n.gach) n.gach = items;
  return box;
}

function indent(path) {
  const listPath = path.slice(0, -1), i = path[path.length - 1];
  const list = getAt(listPath);
  const prev = list[i - 1];
  structural(() => {
    const [node] = list.splice(i, 1);
    if (!Array.isArray(prev.noi_dung)) prev.noi_dung = [];
    prev.noi_dung.push(node);
  }, [...listPath, i - 1, "noi_dung", (prev.noi_dung || []).length]);
}

function outdent(path) {
  const listPath = path.slice(0, -1), i = path[path.length - 1];
  const holder = listPath.slice(0, -1);          // [..., j] (the muc holding the list)
  const gList = holder.slice(0, -1), j = holder[holder.length - 1];
  structural(() => {
    const [node] = getAt(listPath).splice(i, 1);
    getAt(gList).splice(j + 1, 0, node);
  }, [...gList, j + 1]);
}

/* ------------------------------------------------------------------ the whole form */

function renderForm() {
  const panel = $("#panel-form");
  const keepScroll = panel.scrollTop;
  fieldCounter = 0;
  if (!S.data) {
    panel.replaceChildren(el("p", { class: "empty" }, S.text ? "YAML đang có lỗi cú pháp: sửa trong tab YAML để biểu mẫu hiện lại." : "Chọn “Mở / Tạo mới” để bắt đầu."));
    return;
  }
  const d = S.data;
  const head = el("div", { class: "group", "data-path": "" }, el("h3", {}, "Phần đầu văn bản"));
  const g1 = el("div", { class: "grid2" },
    field(["loai"], { kind: "select", options: schemaProp(["loai"]).enum || [], schema: schemaProp(["loai"]), noHelp: true }),
    field(["the_thuc"], { kind: "select", options: schemaProp(["the_thuc"]).enum || [], schema: schemaProp(["the_thuc"]), noHelp: true }),
    field(["co_quan", "cap_tren"], { schema: schemaProp(["co_quan", "cap_tren"]) }),
    field(["co_quan", "ten"], { kind: "area", rows: 2, schema: schemaProp(["co_quan", "ten"]) }),
    field(["co_quan", "ky_hieu"], { schema: schemaProp(["co_quan", "ky_hieu"]) }),
    field(["co_quan", "ten_goi"], { schema: schemaProp(["co_quan", "ten_goi"]) }),
    field(["so"], { kind: "number", convert: toIntOrNull, schema: schemaProp(["so"]) }),
    field(["ngay"], { convert: toIntOrString, schema: schemaProp(["ngay"]) }),
    field(["dia_danh"], { schema: schemaProp(["dia_danh"]) }));
  head.append(g1, field(["trich_yeu"], { kind: "area", rows: 2, schema: schemaProp(["trich_yeu"]) }),
    el("div", { class: "err", "data-err": "co_quan" }));
  const parts = [el("div", { class: "err", "data-err": "" }), head];
  if (d.loai === "bao_cao" || d.kinh_gui !== undefined) parts.push(stringList(["kinh_gui"], { title: "Kính gửi", item: "nơi kính gửi", single: true }));
  parts.push(stringList(["mo_dau"], { title: "Mở đầu (căn cứ, “Thực hiện …”)", item: "đoạn mở đầu" }));
  const body = el("div", { class: "group", "data-path": "noi_dung" }, el("h3", {}, "Nội dung: mục, đoạn, gạch đầu dòng, nhiệm vụ"));
  body.append(renderNodes(["noi_dung"], 0), addBar(["noi_dung"], ""));
  parts.push(body);
  parts.push(signerGroup(), recipients());
  const others = Object.keys(d).filter((k) => !HANDLED.has(k));
  if (others.length) parts.push(el("div", { class: "group" }, el("h3", {}, "Các phần khác"),
    el("p", { class: "other" }, `Có trong văn bản, sửa trong tab YAML: ${others.join(", ")}.`)));
  panel.replaceChildren(...parts);
  panel.scrollTop = keepScroll;
  showProblems();
}

function signerGroup() {
  if (!S.data.ky || typeof S.data.ky !== "object") S.data.ky = { chuc_vu: "", ho_ten: "" };
  const ky = S.data.ky;
  const box = el("div", { class: "group", "data-path": "ky" }, el("h3", {}, "Người ký"));
  const grid = el("div", { class: "grid2" });
  for (const k of ["thay_mat", "ky_thay", "thua_lenh", "thua_uy_quyen"]) {
    if (k === "thua_uy_quyen" && S.data.the_thuc === "dang" && !(k in ky)) continue;
    grid.append(field(["ky", k], { schema: schemaProp(["ky", k]), noHelp: true,
      convert: (v) => (v === "" ? undefined : v) }));
  }
  grid.append(field(["ky", "chuc_vu"], { list: "dl-signers" }), field(["ky", "ho_ten"]));
  box.append(grid, el("div", { class: "err", "data-err": "ky" }));
  return box;
}

function recipients() {
  const path = ["noi_nhan"];
  if (!Array.isArray(S.data.noi_nhan)) S.data.noi_nhan = [];
  const list = S.data.noi_nhan;
  const box = el("div", { class: "group", "data-path": "noi_nhan" }, el("h3", {}, "Nơi nhận và lưu"));
  list.forEach((it, i) => {
    const p = [...path, i];
    let inner;
    if (typeof it === "string") {
      inner = el("input", { type: "text", list: "dl-recipients", "aria-label": `Nơi nhận ${i + 1}`, "data-path": pathStr(p) });
      inner.value = it;
      inner.addEventListener("input", () => { setAt(p, inner.value); markPlaceholder(inner); changed(); });
      markPlaceholder(inner);
    } else if (it && typeof it === "object" && "ten" in it) {
      const a = el("input", { type: "text", list: "dl-recipients", "aria-label": `Nơi nhận ${i + 1}`, "data-path": pathStr([...p, "ten"]) });
      const b = el("input", { type: "text", "aria-label": `Ghi chú nơi nhận ${i + 1}`, placeholder: "ghi chú: b/c, t/h…", class: "note" });
      a.value = it.ten; b.value = it.ghi_chu || "";
      a.addEventListener("input", () => { it.ten = a.value; changed(); });
      b.addEventListener("input", () => { if (b.value) it.ghi_chu = b.value; else delete it.ghi_chu; changed(); });
      inner = el("div", { class: "row" }, a, b);
    } else {
      inner = el("span", { class: "other" }, "Nhóm nơi nhận: sửa trong tab YAML");
    }
    box.append(el("div", { class: "row" }, el("div", { class: "grow" }, inner, el("div", { class: "err", "data-err": pathStr(p) })),
      itemTools(path, i, "nơi nhận")));
  });
  box.append(el("div", { class: "addbar" }, el("button", { type: "button",
    onclick: () => structural(() => list.push(""), [...path, list.length]) }, "+ Nơi nhận")));
  const luu = S.data.luu;
  const id = "f" + (++fieldCounter);
  const li = el("input", { id, type: "text", "data-path": "luu" });
  li.value = Array.isArray(luu) ? luu.join(", ") : luu || "";
  li.addEventListener("input", () => {
    S.data.luu = Array.isArray(luu) || S.data.the_thuc !== "dang" ? li.value.split(",").map((x) => x.trim()).filter(Boolean) : li.value;
    changed();
  });
  box.append(el("div", { class: "field" }, el("label", { for: id }, "Lưu (cách nhau bằng dấu phẩy)"), li,
    el("div", { class: "err", "data-err": "luu" })));
  return box;
}

function datalists() {
  const rec = el("datalist", { id: "dl-recipients" }, el("option", { value: "Như trên" }));
  for (const o of S.options) rec.append(el("option", { value: o.value }));
  const sig = el("datalist", { id: "dl-signers" }, ...S.units.signers.map((s) => el("option", { value: s })));
  document.querySelectorAll("datalist").forEach((d) => d.remove());
  document.body.append(rec, sig);
}

/* ------------------------------------------------------------------ problems */

function showProblems() {
  const panel = $("#panel-form");
  panel.querySelectorAll("[data-err]").forEach((e) => { e.textContent = ""; });
  panel.querySelectorAll(".invalid").forEach((e) => { e.classList.remove("invalid"); e.removeAttribute("aria-invalid"); });
  const errors = S.problems.filter((p) => !p.warning);
  for (const p of errors) {
    let path = p.path;
    let target = panel.querySelector(`[data-err="${CSS.escape(path)}"]`);
    while (!target && path) {
      path = parentPath(path);
      target = panel.querySelector(`[data-err="${CSS.escape(path)}"]`);
    }
    const msg = (p.path && path !== p.path ? p.path.slice(path.length).replace(/^\./, "") + ": " : "") + p.message;
    if (target) {
      target.textContent = (target.textContent ? target.textContent + "; " : "") + msg;
      const input = panel.querySelector(`[data-path="${CSS.escape(path)}"]`);
      if (input) { input.classList.add("invalid"); input.setAttribute("aria-invalid", "true"); }
    }
  }
  const be = $("#badge-errors");
  be.textContent = errors.length ? `${errors.length} lỗi` : "Hợp lệ";
  be.className = "badge " + (errors.length ? "bad" : "ok");
  $("#badge-ph").textContent = `[[…]]: ${S.placeholders}`;
  $("#badge-ph").title = `Còn ${S.placeholders} chỗ [[…]] cần điền; bấm để xem`;
  const ul = $("#problem-list");
  ul.replaceChildren(...S.problems.map((p) => el("li", { class: p.warning ? "w" : "e", tabindex: 0,
    onclick: () => focusPath(p.path), onkeydown: (e) => { if (e.key === "Enter") focusPath(p.path); } },
  `dòng ${p.line}: ${p.path ? p.path + ": " : ""}${p.message}`)));
  if (!S.problems.length) ul.append(el("li", {}, "Không có lỗi, không còn chỗ cần điền."));
  $("#yaml-errors").replaceChildren(...errors.slice(0, 3).map((p) => el("li", {}, `dòng ${p.line}, cột ${p.col}: ${p.path ? p.path + ": " : ""}${p.message}`)),
    ...(errors.length > 3 ? [el("li", {}, `… và ${errors.length - 3} lỗi khác (xem tab Lỗi)`)] : []));
  $("#tab-problems").textContent = `Lỗi và chỗ cần điền (${S.problems.length})`;
}

/* "noi_dung[1].chu_tri[0]" -> "noi_dung[1].chu_tri" -> "noi_dung[1]" -> "noi_dung" -> "" */
function parentPath(p) {
  if (/\[\d+\]$/.test(p)) return p.replace(/\[\d+\]$/, "");
  const dot = p.lastIndexOf(".");
  return dot < 0 ? "" : p.slice(0, dot);
}

function focusPath(path) {
  if (!S.data) { selectTab("yaml"); return; }
  selectTab("form");
  let p = path;
  while (true) {
    const t = $("#panel-form").querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (t) {
      const f = t.matches("input,textarea,select") ? t : t.querySelector("input,textarea,select");
      (f || t).scrollIntoView({ block: "center" });
      if (f) f.focus();
      return;
    }
    if (!p) return;
    p = parentPath(p);
  }
}

/* ------------------------------------------------------------------ sync */

function setDirty(v) {
  S.dirty = v;
  $("#doc-state").textContent = v ? "· chưa lưu" : (S.path ? "· đã lưu" : "");
  document.title = (v ? "• " : "") + (S.path || "Văn bản mới") + " – vbtool";
}

function apply(r, fromYaml) {
  S.problems = r.problems; S.placeholders = r.placeholders;
  if (r.text !== undefined && !fromYaml) {
    S.text = r.text;
    const ta = $("#yaml-text");
    if (document.activeElement !== ta) ta.value = r.text;
  }
  if (fromYaml) {
    if (r.data) { S.data = r.data; renderForm(); } else { S.data = null; renderForm(); }
  }
  showProblems();
}

const syncForm = debounce(async () => {
  const seq = ++S.syncSeq;
  S.inFlight++;
  try {
    const r = await api("sync", { data: S.data, base: S.text, path: S.path || S.suggested });
    if (seq !== S.syncSeq) return;
    apply(r, false);
    await afterChange(r);
  } catch (e) { toast(e.message, "error"); } finally { S.inFlight--; markBusy(); }
}, 300);

const syncYaml = debounce(async () => {
  const seq = ++S.syncSeq;
  const text = $("#yaml-text").value;
  S.text = text;
  S.inFlight++;
  try {
    const r = await api("sync", { text, path: S.path || S.suggested });
    if (seq !== S.syncSeq) return;
    apply(r, true);
    await afterChange(r);
  } catch (e) { toast(e.message, "error"); } finally { S.inFlight--; markBusy(); }
}, 400);

function changed() { setDirty(true); syncForm(); markBusy(); }

/* body[data-busy="1"] while an edit is not yet checked or its pages not yet shown (tests wait on it). */
function markBusy() {
  const busy = syncForm.pending() || syncYaml.pending() || S.inFlight > 0 || S.previewRev > S.shownRev;
  document.body.dataset.busy = busy ? "1" : "0";
}

async function flush() { await syncForm.flush(); await syncYaml.flush(); }

async function afterChange(r) {
  autosave();
  if (r.valid) await requestPreview();
  else setPreviewStatus("Văn bản còn lỗi: trang xem trước là bản hợp lệ gần nhất.", "error");
}

/* A change of structure: snapshot for undo, apply, redraw, sync, focus the new place. */
function structural(fn, focus = null, message = null) {
  S.undo.push(JSON.stringify(S.data));
  if (S.undo.length > 50) S.undo.shift();
  $("#btn-undo").disabled = false;
  fn();
  renderForm();
  changed();
  if (focus) focusPath(pathStr(focus));
  if (message) toast(message, "", { label: "Hoàn tác", run: undo });
}

function undo() {
  if (!S.undo.length) return;
  S.data = JSON.parse(S.undo.pop());
  $("#btn-undo").disabled = !S.undo.length;
  renderForm(); changed();
  toast("Đã hoàn tác.");
}

/* ------------------------------------------------------------------ autosave */

const autosave = debounce(async () => {
  if (!S.dirty) return;
  try { await api("autosave", { path: S.path || S.suggested, text: S.text }); } catch (e) { /* the next edit tries again */ }
}, 1500);

/* ------------------------------------------------------------------ preview */

function setPreviewStatus(msg, kind = "") {
  const s = $("#preview-status");
  s.textContent = msg; s.className = kind;
}

async function requestPreview() {
  try {
    const { rev } = await api("preview", { text: S.text });
    S.previewRev = Math.max(S.previewRev, rev);
    markBusy();
    setPreviewStatus("Đang dựng trang…", "busy");
    $("#pages").classList.add("stale");
    pollPreview(rev);
  } catch (e) { setPreviewStatus(e.message, "error"); }
}

async function pollPreview(rev) {
  for (let tries = 0; tries < 30; tries++) {
    if (rev !== S.previewRev) return;           // a newer edit took over
    let st;
    try { st = await api("preview?wait=" + rev); } catch (e) { setPreviewStatus(e.message, "error"); return; }
    const res = st.result;
    if (res && res.rev >= rev) {
      if (res.rev <= S.shownRev) return;
      if (!res.ok) { S.shownRev = res.rev; markBusy(); setPreviewStatus(res.error, "error"); $("#pages").classList.remove("stale"); return; }
      await showPages(res);
      return;
    }
  }
  setPreviewStatus("Xem trước chưa xong sau thời gian chờ; sẽ thử lại ở lần sửa sau.", "error");
}

async function showPages(res) {
  const pages = $("#pages"), thumbs = $("#thumbs");
  const src = (u) => `${u}?t=${encodeURIComponent(TOKEN)}`;
  const imgs = res.pages.map((u, i) => el("img", { src: src(u), alt: `Trang ${i + 1}`, id: `page-${i + 1}` }));
  // swap only when the new pages are decoded: no blank flash while typing
  await Promise.all(imgs.map((img) => img.decode().catch(() => {})));
  if (res.rev <= S.shownRev) return;                // a newer result was shown meanwhile
  S.shownRev = res.rev;
  pages.replaceChildren(...imgs);
  pages.classList.remove("stale");
  thumbs.replaceChildren(...res.pages.map((u, i) => el("button", { type: "button", "aria-label": `Đến trang ${i + 1}`,
    onclick: () => { $(`#page-${i + 1}`).scrollIntoView({ block: "start" }); thumbs.querySelectorAll("button").forEach((b) => b.removeAttribute("aria-current")); thumbs.children[i].setAttribute("aria-current", "true"); } },
  el("img", { src: src(u), alt: "" }), el("span", {}, `Trang ${i + 1}`))));
  $("#preview-text").textContent = res.text;
  const newer = S.previewRev > res.rev;
  setPreviewStatus(`${res.pages.length} trang · cập nhật sau ${String(res.seconds).replace(".", ",")} giây` +
    (newer ? " · đang dựng bản sửa mới hơn…" : ""), newer ? "busy" : "");
  if (newer) pages.classList.add("stale");
  markBusy();
  applyZoom();
}

function applyZoom() {
  const pages = $("#pages");
  const base = 794;                                   // A4 width at 96 dpi
  if (S.fit) S.zoom = Math.max(0.3, Math.min(2, (pages.clientWidth - 30) / base));
  pages.querySelectorAll("img").forEach((img) => { img.style.width = Math.round(base * S.zoom) + "px"; });
  $("#zoom-value").textContent = Math.round(S.zoom * 100) + "%";
}

/* ------------------------------------------------------------------ documents */

function loadDoc(r) {
  S.text = r.text; S.data = r.data; S.problems = r.problems; S.placeholders = r.placeholders;
  S.path = r.path; S.isNew = !r.path; S.undo = []; $("#btn-undo").disabled = true; S.mtime = r.mtime || null;
  S.shownRev = S.previewRev;          // pages of the previous document are not waited for
  if (r.suggested) S.suggested = r.suggested;
  $("#yaml-text").value = r.text;
  $("#doc-name").textContent = r.path || "Văn bản mới (chưa lưu)";
  for (const b of ["#btn-save", "#btn-docx", "#btn-pdf", "#btn-check"]) $(b).disabled = false;
  $("#btn-derive").disabled = !S.units.units.length;
  setDirty(S.isNew);
  renderForm();
  S.autosaveText = r.autosave || null;
  if (!r.path && r.suggested) $("#doc-name").textContent = `Văn bản mới (chưa lưu): ${r.suggested}`;
  $("#autosave-banner").hidden = !S.autosaveText;
  if (r.valid) requestPreview(); else setPreviewStatus("Văn bản còn lỗi: sửa để xem trước.", "error");
}

/* Before another document replaces this one: what was typed is checked and in the side file. */
async function leaveDoc() {
  await flush();
  await autosave.flush();
}

async function openFile(path) {
  await leaveDoc();
  try {
    const r = await api("open", { path });
    $("#dlg-start").close();
    loadDoc(r);
  } catch (e) { $("#start-error").textContent = e.message; }
}

async function newDoc() {
  await leaveDoc();
  try {
    const r = await api("new", { loai: $("#new-loai").value, the_thuc: $("#new-the-thuc").value, don_vi: $("#new-unit").value || null });
    $("#dlg-start").close();
    loadDoc(r);
    autosave();
  } catch (e) { $("#start-error").textContent = e.message; }
}

const MAX_UPLOAD = 2 * 1024 * 1024;

async function uploadFile(file) {
  if (!file) return;
  if (file.size > MAX_UPLOAD) { $("#start-error").textContent = `Tệp quá lớn (${Math.round(file.size / 1024)} KB, tối đa 2048 KB).`; return; }
  await leaveDoc();
  try {
    const text = await file.text();
    const r = await api("sync", { text, path: file.name });
    $("#dlg-start").close();
    loadDoc(Object.assign(r, { path: null, suggested: file.name.replace(/[^\p{L}\p{N}._-]+/gu, "-") }));
  } catch (e) { $("#start-error").textContent = e.message; }
}

async function showStart() {
  $("#start-error").textContent = "";
  try {
    const r = await api("files");
    const draw = () => {
      const q = fold($("#file-filter").value);
      $("#file-list").replaceChildren(...r.files.filter((f) => fold(f).includes(q)).map((f) =>
        el("li", {}, el("button", { type: "button", onclick: () => openFile(f) }, f))));
      if (!r.files.length) $("#file-list").append(el("li", { class: "other" }, "Thư mục chưa có tệp YAML nào."));
      for (const f of r.unsaved || []) $("#file-list").append(el("li", {}, el("button", { type: "button", onclick: () => openFile(f) },
        `${f} (bản tự lưu, chưa lưu lần nào)`)));
    };
    $("#file-filter").oninput = draw;
    draw();
  } catch (e) { $("#start-error").textContent = e.message; }
  if (!$("#dlg-start").open) $("#dlg-start").showModal();
}

async function save() {
  await flush();
  if (!S.path) {
    $("#save-name").value = S.suggested; $("#save-error").textContent = "";
    $("#dlg-save").showModal();
    $("#save-name").select();
    return;
  }
  await doSave(S.path, false);
}

async function doSave(path, isNew) {
  try {
    const r = await api("save", { path, text: S.text, new: isNew, mtime: isNew ? null : S.mtime });
    S.mtime = r.mtime;
    const oldSide = S.path ? null : S.suggested;
    S.path = r.path; S.isNew = false;
    if (oldSide && oldSide !== r.path) api("autosave", { path: oldSide, text: "", discard: true }).catch(() => {});
    $("#doc-name").textContent = r.path;
    setDirty(false);
    if ($("#dlg-save").open) $("#dlg-save").close();
    toast(`Đã lưu ${r.path}` + (r.valid ? "" : " (văn bản còn lỗi)") + (r.placeholders ? `; còn ${r.placeholders} chỗ [[…]] cần điền` : ""));
  } catch (e) {
    if ($("#dlg-save").open) $("#save-error").textContent = e.message; else toast(e.message, "error");
  }
}

async function download(kind) {
  await flush();
  const name = S.path || S.suggested;
  toast(kind === "pdf" ? "Đang tạo PDF…" : "Đang dựng .docx…");
  try {
    const resp = await api(kind, { text: S.text, name }, { raw: true });
    const blob = await resp.blob();
    const a = el("a", { href: URL.createObjectURL(blob), download: name.replace(/^.*\//, "").replace(/\.ya?ml$/i, "") + "." + kind });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
    toast(`Đã tạo tệp .${kind}.`);
  } catch (e) { toast(e.message + (e.problems.length ? " " + e.problems[0] : ""), "error"); }
}

async function checkReport() {
  await flush();
  const body = $("#report-body");
  body.replaceChildren(el("p", {}, "Đang kiểm tra…"));
  $("#dlg-report").showModal();
  try {
    const r = await api("check", { text: S.text, name: S.path || S.suggested });
    body.replaceChildren(el("p", {}, `${r.errors} lỗi, ${r.warnings} cảnh báo.`),
      el("ul", {}, ...r.lines.map((l) => el("li", {}, l))));
  } catch (e) { body.replaceChildren(el("p", { class: "err" }, e.message), el("ul", {}, ...e.problems.map((l) => el("li", {}, l)))); }
}

function showDerive() {
  const sel = $("#derive-unit");
  sel.replaceChildren(...S.units.units.map((u) => el("option", { value: u.id }, u.ten_goi)));
  const upd = () => { $("#derive-name").value = `${(S.path || S.suggested).replace(/\.ya?ml$/i, "")}-${sel.value}.yaml`; };
  sel.onchange = upd; upd();
  $("#derive-msg").textContent = "";
  const isPlan = S.data && S.data.loai === "ke_hoach";
  $("#derive-box").disabled = !isPlan;
  if (!isPlan) $("#derive-msg").textContent = "Chỉ tạo kế hoạch cấp dưới được từ một kế hoạch.";
  const gs = $("#batch-group");
  const groupName = (g) => g.phrases[0] || g.id;
  gs.replaceChildren(...S.units.groups.map((g) => el("option", { value: g.id }, `${groupName(g)} (${S.units.units.filter((u) => u.nhom.includes(g.id)).length} đơn vị)`)));
  const updB = () => { $("#batch-dir").value = `${(S.path || S.suggested).replace(/\.ya?ml$/i, "")}-${gs.value}`; };
  gs.onchange = updB; updB();
  $("#batch-msg").textContent = ""; $("#batch-progress").hidden = true;
  $("#dlg-derive").showModal();
}

async function doBatch() {
  await flush();
  const msg = $("#batch-msg"), bar = $("#batch-progress");
  try {
    const r = await api("batch", { text: S.text, path: S.path || S.suggested, nhom: $("#batch-group").value, thu_muc: $("#batch-dir").value.trim() });
    bar.hidden = false; bar.max = r.total; bar.value = 0;
    msg.textContent = `Đang dựng 0/${r.total}…`;
    for (;;) {
      const st = await api("batch-status");
      bar.value = st.done;
      msg.textContent = `Đang dựng ${st.done}/${st.total}…`;
      if (st.finished) {
        msg.textContent = `Đã dựng ${st.written}/${st.total} văn bản vào ${st.outdir}/` + (st.errors.length ? `; ${st.errors.length} lỗi: ${st.errors.join("; ")}` : ".");
        break;
      }
      await new Promise((res) => setTimeout(res, 300));
    }
  } catch (e) { msg.textContent = e.message + (e.problems.length ? " " + e.problems.join("; ") : ""); }
}

async function doDerive() {
  await flush();
  try {
    const r = await api("derive", { text: S.text, path: S.path || S.suggested, don_vi: $("#derive-unit").value, target: $("#derive-name").value });
    $("#derive-msg").replaceChildren(`Đã tạo ${r.path} (${r.tasks} nhiệm vụ). `,
      el("button", { type: "button", onclick: () => { $("#dlg-derive").close(); openFile(r.path); } }, "Mở dự thảo này"));
  } catch (e) { $("#derive-msg").textContent = e.message + (e.problems.length ? " " + e.problems.join("; ") : ""); }
}

/* ------------------------------------------------------------------ tabs and keys */

function selectTab(name) {
  if (syncYaml.pending()) syncYaml.flush();          // S.text takes the keystrokes not yet sent
  for (const t of ["form", "yaml", "problems"]) {
    $(`#tab-${t}`).setAttribute("aria-selected", t === name ? "true" : "false");
    $(`#tab-${t}`).tabIndex = t === name ? 0 : -1;
    $(`#panel-${t}`).hidden = t !== name;
  }
  if (name === "yaml") $("#yaml-text").value = S.text;
  if (name === "form") $("#panel-form").querySelectorAll("textarea").forEach(grow);
}

function init() {
  for (const t of ["form", "yaml", "problems"]) $(`#tab-${t}`).addEventListener("click", () => selectTab(t));
  $(".tabs").addEventListener("keydown", (e) => {
    const order = ["form", "yaml", "problems"];
    const cur = order.findIndex((t) => $(`#tab-${t}`).getAttribute("aria-selected") === "true");
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      const next = order[(cur + (e.key === "ArrowRight" ? 1 : 2)) % 3];
      selectTab(next); $(`#tab-${next}`).focus();
    }
  });
  $("#yaml-text").addEventListener("input", () => { setDirty(true); syncYaml(); markBusy(); });
  $("#yaml-text").addEventListener("keydown", (e) => {
    if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey) {   // two spaces; Esc then Tab leaves the box
      if (e.target.dataset.escaped) { delete e.target.dataset.escaped; return; }
      e.preventDefault(); document.execCommand("insertText", false, "  ");
    } else if (e.key === "Escape") e.target.dataset.escaped = "1";
  });
  $("#btn-start").addEventListener("click", showStart);
  $("#btn-new").addEventListener("click", newDoc);
  $("#file-upload").addEventListener("change", (e) => uploadFile(e.target.files[0]));
  $("#btn-save").addEventListener("click", save);
  $("#btn-save-ok").addEventListener("click", () => doSave($("#save-name").value.trim(), true));
  $("#save-name").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); doSave($("#save-name").value.trim(), true); } });
  $("#btn-docx").addEventListener("click", () => download("docx"));
  $("#btn-pdf").addEventListener("click", () => download("pdf"));
  $("#btn-check").addEventListener("click", checkReport);
  $("#btn-derive").addEventListener("click", showDerive);
  $("#btn-derive-ok").addEventListener("click", doDerive);
  $("#btn-batch-ok").addEventListener("click", doBatch);
  $("#btn-undo").addEventListener("click", undo);
  $("#badge-errors").addEventListener("click", () => selectTab("problems"));
  $("#badge-ph").addEventListener("click", () => selectTab("problems"));
  $("#btn-restore").addEventListener("click", () => {
    $("#yaml-text").value = S.autosaveText; S.text = S.autosaveText; $("#autosave-banner").hidden = true;
    setDirty(true); syncYaml(); syncYaml.flush(); toast("Đã khôi phục bản tự lưu (chưa lưu vào tệp).");
  });
  $("#btn-drop-autosave").addEventListener("click", () => {
    $("#autosave-banner").hidden = true;
    api("autosave", { path: S.path || S.suggested, text: "", discard: true }).catch(() => {});
  });
  $("#zoom-in").addEventListener("click", () => { S.fit = false; S.zoom = Math.min(3, S.zoom + 0.1); applyZoom(); });
  $("#zoom-out").addEventListener("click", () => { S.fit = false; S.zoom = Math.max(0.3, S.zoom - 0.1); applyZoom(); });
  $("#zoom-fit").addEventListener("click", () => { S.fit = true; applyZoom(); });
  window.addEventListener("resize", () => { if (S.fit) applyZoom(); });
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); if (!$("#btn-save").disabled) save(); }
    else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z" && !e.target.matches("input,textarea") && S.undo.length) { e.preventDefault(); undo(); }
  });
  window.addEventListener("beforeunload", (e) => { if (S.dirty) { e.preventDefault(); e.returnValue = ""; } });
  Promise.all([api("schema"), api("units")]).then(([schema, units]) => {
    S.schema = schema; S.units = units; buildOptions(); datalists();
    const sel = $("#new-unit");
    for (const u of units.units) sel.append(el("option", { value: u.id }, u.ten_goi));
    showStart();
  }).catch((e) => toast(e.message, "error"));
}

init();
