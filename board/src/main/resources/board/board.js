// The SLA board's page: loads the board (/api/data), then follows its changes (/api/events, Server-Sent Events).
// Only the rows in view are in the document, so 10,000 tickets sort, filter and count down without stalling.
"use strict";
(function () {
  if (document.body.dataset.page === "login") {
    if (new URLSearchParams(location.search).has("failed")) {
      document.getElementById("failed").hidden = false;
    }
    return;
  }
  const ROW = 32;
  const STATUS_CLASS = { "On track": "on-track", "At risk": "at-risk", "Breached": "breached", "Paused": "paused", "Met": "met" };
  const FILTERS = { kind: "kd", source: "s", account: "a", priority: "p", status: "st", policy: "po" };
  const tickets = new Map();
  let run = null, lastId = 0, zone = "UTC", figures = null, accounts = [], stream = null;
  let serverNow = Date.now(), receivedAt = performance.now(), pace = 1;
  let shown = [], dirty = true, flashes = new Map();
  const $ = (id) => document.getElementById(id);

  function now() { return serverNow + (performance.now() - receivedAt) * pace; }
  function syncClock(ms, p) { serverNow = ms; receivedAt = performance.now(); if (p) { pace = p; } }

  async function load() {
    const r = await fetch("/api/data", { credentials: "same-origin", cache: "no-store" });
    if (r.status === 401) { location.href = "/login"; return; }
    if (!r.ok) { setTimeout(load, 2000); return; }
    const data = await r.json();
    $("who").textContent = r.headers.get("X-Board-User") || "";
    tickets.clear();
    data.tickets.forEach((t) => tickets.set(t.t, row(t)));
    run = data.run; lastId = data.id; zone = data.zone; figures = data.figures; accounts = data.accounts;
    syncClock(data.now, data.pace);
    dirty = true;
    follow();
  }

  function follow() {
    if (stream) { stream.close(); }
    stream = new EventSource("/api/events?after=" + encodeURIComponent(run + "-" + lastId));
    stream.addEventListener("open", () => live(true));
    stream.addEventListener("change", (e) => apply(JSON.parse(e.data)));
    stream.addEventListener("clock", (e) => { const c = JSON.parse(e.data); syncClock(c.now, c.pace); });
    stream.addEventListener("reload", () => { stream.close(); stream = null; load(); });
    stream.addEventListener("error", () => {
      live(false);
      // The browser reconnects by itself (with Last-Event-ID); a stream it gave up on (refused) starts over.
      if (stream && stream.readyState === EventSource.CLOSED) { stream = null; setTimeout(load, 2000); }
    });
  }

  // A row is a ticket's SLA clock, or an engineering ticket's OLA clock ("kd": "OLA"); the kind filter needs both named.
  function row(t) { t.kd = t.kd || "SLA"; return t; }

  function live(on) {
    $("live").textContent = on ? "live" : "reconnecting";
    $("live").classList.toggle("off", !on);
  }

  function apply(change) {
    if (change.id <= lastId) { return; } // already in the snapshot or seen
    lastId = change.id;
    change.tickets.forEach((t) => { tickets.set(t.t, row(t)); flashes.set(t.t, performance.now()); });
    change.gone.forEach((k) => tickets.delete(k));
    figures = change.figures; accounts = change.accounts;
    syncClock(change.now);
    dirty = true;
  }

  function filterValue(name) { return $("f-" + name).value; }

  function recompute() {
    const f = {};
    Object.keys(FILTERS).forEach((n) => { const v = filterValue(n); if (v) { f[FILTERS[n]] = v; } });
    const keys = Object.keys(f);
    shown = [];
    for (const t of tickets.values()) {
      let ok = true;
      for (const k of keys) { if ((t[k] || "") !== f[k]) { ok = false; break; } }
      if (ok) { shown.push(t); }
    }
    // Time to due: the soonest (or most overdue) first; paused and undated last.
    shown.sort((a, b) => (a.d ?? Infinity) - (b.d ?? Infinity) || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
    refreshOptions();
    $("count").textContent = shown.length + " of " + tickets.size + " tickets";
    $("spacer").style.height = (shown.length * ROW) + "px";
    renderFigures();
    renderAccounts();
  }

  function refreshOptions() {
    Object.keys(FILTERS).forEach((name) => {
      const select = $("f-" + name), key = FILTERS[name], values = new Set();
      for (const t of tickets.values()) { if (t[key]) { values.add(t[key]); } }
      if (select.value) { values.add(select.value); }
      const sorted = [...values].sort();
      const have = [...select.options].slice(1).map((o) => o.value);
      if (have.length === sorted.length && have.every((v, i) => v === sorted[i])) { return; }
      const chosen = select.value;
      select.length = 1;
      sorted.forEach((v) => select.add(new Option(v, v)));
      select.value = chosen;
    });
  }

  function countdown(dueSeconds) {
    if (dueSeconds == null) { return ["", false]; }
    let s = Math.round(dueSeconds - now() / 1000);
    const late = s < 0;
    s = Math.abs(s);
    const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    const text = d > 0 ? d + "d " + h + "h" : h > 0 ? h + "h " + String(m).padStart(2, "0") + "m"
      : m + "m " + String(sec).padStart(2, "0") + "s";
    return [late ? "late " + text : text, late];
  }

  const dueFormat = () => new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit" });
  let formats = null; // made once per zone: a page draws its linked cells every second

  // A due in a linked cell: "09:20" today, "Tue 09:20" on another day.
  function shortDue(seconds) {
    if (!formats || formats.zone !== zone) {
      const short = { timeZone: zone, hour: "2-digit", minute: "2-digit", hour12: false }; // "09:20": a cell is narrow
      formats = { zone, due: new Intl.DateTimeFormat(undefined, { ...short, weekday: "short" }),
        time: new Intl.DateTimeFormat(undefined, short),
        day: new Intl.DateTimeFormat(undefined, { timeZone: zone, year: "numeric", month: "numeric", day: "numeric" }) };
    }
    const d = new Date(seconds * 1000);
    return formats.day.format(d) === formats.day.format(new Date(now())) ? formats.time.format(d) : formats.due.format(d);
  }

  function keyLink(parent, text, href) {
    if (href) {
      const a = document.createElement("a");
      a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer"; a.textContent = text;
      parent.appendChild(a);
    } else { parent.appendChild(document.createTextNode(text)); }
  }

  // The other side's clocks: on a customer ticket, each engineering ticket serving it ("ENG-7 At risk · due 09:20",
  // the earliest due first); on an engineering ticket, the customer it serves most urgently and how many more wait.
  function linkedCell(row, t) {
    const c = document.createElement("span");
    c.className = "linked";
    const add = (text, cls) => { const s = document.createElement("span"); s.textContent = text; if (cls) { s.className = cls; } c.appendChild(s); };
    (t.li || []).forEach((l, i) => {
      if (i > 0) { add(", "); }
      keyLink(c, l.k, l.l);
      add(" " + l.st, "state " + (STATUS_CLASS[l.st] || ""));
      if (l.d != null) { add(" · due " + shortDue(l.d)); }
    });
    if (t.sv) {
      // "for Acme (gold) Breached · due 14:00 +2 customers waiting · 500Qy…": the customer's key, often long, last.
      if (t.li) { add("; "); }
      add("for" + (t.sv.a ? " " + t.sv.a : ""));
      if (t.sv.st) { add(" " + t.sv.st, "state " + (STATUS_CLASS[t.sv.st] || "")); }
      if (t.sv.d != null) { add(" · due " + shortDue(t.sv.d)); }
      const more = t.sv.k ? t.sv.n - 1 : t.sv.n;
      if (more > 0) { add(" +" + more + (more === 1 ? " customer waiting" : " customers waiting"), "more"); }
      if (t.sv.k) { add(" · "); keyLink(c, t.sv.k, t.sv.l); }
    }
    c.title = c.textContent;
    row.appendChild(c);
  }

  function cell(row, text, cls) {
    const s = document.createElement("span");
    s.textContent = text || "";
    if (cls) { s.className = cls; }
    row.appendChild(s);
    return s;
  }

  function renderRows() {
    const scroller = $("scroller"), rows = $("rows");
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - 5);
    const last = Math.min(shown.length, first + Math.ceil(scroller.clientHeight / ROW) + 10);
    rows.style.top = (first * ROW) + "px";
    const fmt = dueFormat(), frag = document.createDocumentFragment(), t0 = performance.now();
    for (let i = first; i < last; i++) {
      const t = shown[i], row = document.createElement("div");
      row.className = "grid row";
      row.dataset.ticket = t.t;
      row.dataset.kind = t.kd;
      row.dataset.status = t.st;
      const flashed = flashes.get(t.t);
      if (flashed && t0 - flashed < 2000) { row.classList.add("flash"); }
      cell(row, t.s, "source");
      const key = document.createElement("span");
      key.className = "key";
      keyLink(key, t.k, t.l);
      row.appendChild(key);
      cell(row, t.ti, "title").title = t.ti || "";
      cell(row, t.a, "account");
      cell(row, t.p, "priority");
      const policy = cell(row, "", "policy");
      if (t.kd === "OLA") { cell(policy, "OLA", "kind"); policy.appendChild(document.createTextNode(" ")); }
      policy.appendChild(document.createTextNode(t.po || ""));
      policy.title = (t.kd === "OLA" ? "OLA " : "") + (t.po || "");
      cell(row, t.m ? t.m.replace(/_/g, " ") : "", "metric");
      const [text, late] = countdown(t.d);
      const due = cell(row, t.st === "Paused" ? "paused" : text, "due" + (late ? " late" : ""));
      if (t.d != null) { due.title = "due " + fmt.format(new Date(t.d * 1000)); }
      cell(row, t.st, "status " + (STATUS_CLASS[t.st] || ""));
      linkedCell(row, t);
      frag.appendChild(row);
    }
    rows.replaceChildren(frag);
  }

  function pct(pair) { return pair && pair[1] > 0 ? Math.round(100 * pair[0] / pair[1]) + "%" : "–"; }

  function renderFigures() {
    if (!figures) { return; }
    const box = $("figures");
    box.replaceChildren();
    const add = (value, label, cls, id) => {
      const d = document.createElement("div");
      d.className = "figure " + (cls || "");
      d.id = id;
      const b = document.createElement("b"); b.textContent = value;
      const s = document.createElement("span"); s.textContent = label;
      d.append(b, s);
      box.appendChild(d);
    };
    add(figures.open, "open", "", "fig-open");
    add(figures.atRisk, "at risk", "risk", "fig-at-risk");
    add(figures.breached, "breached", "breach", "fig-breached");
    add(figures.paused, "paused", "", "fig-paused");
    Object.keys(figures.metToday).forEach((m) => {
      const p = figures.metToday[m];
      add(pct(p), m.replace(/_/g, " ") + " met today (" + p[0] + "/" + p[1] + ")", "", "fig-met-" + m);
    });
  }

  function renderAccounts() {
    const metrics = new Set();
    accounts.forEach((a) => Object.keys(a.month).forEach((m) => metrics.add(m)));
    const ms = [...metrics].sort();
    const head = $("accounts-head");
    head.replaceChildren();
    ["Account", "Rank score", "Breached", "At risk", "Open"].concat(ms.map((m) => m.replace(/_/g, " ") + " this month"))
      .forEach((h, i) => { const th = document.createElement("th"); th.textContent = h; if (i > 0) { th.className = "num"; } head.appendChild(th); });
    const body = $("accounts"), frag = document.createDocumentFragment();
    accounts.slice(0, 500).forEach((a) => {
      const tr = document.createElement("tr");
      tr.dataset.account = a.a;
      const td = (text, num) => { const c = document.createElement("td"); c.textContent = text; if (num) { c.className = "num"; } tr.appendChild(c); };
      td(a.a || "(no account)");
      td(a.score, true); td(a.breached, true); td(a.atRisk, true); td(a.open, true);
      ms.forEach((m) => td(a.month[m] ? pct(a.month[m]) + " (" + a.month[m][0] + "/" + a.month[m][1] + ")" : "–", true));
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
  }

  function frame() {
    if (dirty) { dirty = false; recompute(); renderRows(); }
    requestAnimationFrame(frame);
  }

  function tab(which) {
    $("tab-tickets").classList.toggle("active", which === "tickets");
    $("tab-accounts").classList.toggle("active", which === "accounts");
    $("tickets-view").hidden = which !== "tickets";
    $("accounts-view").hidden = which !== "accounts";
    renderRows();
  }

  Object.keys(FILTERS).forEach((n) => $("f-" + n).addEventListener("change", () => { dirty = true; $("scroller").scrollTop = 0; }));
  $("scroller").addEventListener("scroll", () => requestAnimationFrame(renderRows), { passive: true });
  $("tab-tickets").addEventListener("click", () => tab("tickets"));
  $("tab-accounts").addEventListener("click", () => tab("accounts"));
  setInterval(() => {
    renderRows();
    $("clock").textContent = new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: "short", hour: "2-digit",
      minute: "2-digit", second: "2-digit" }).format(new Date(now())) + " " + zone + (pace !== 1 ? " (" + pace + "x)" : "");
  }, 1000);
  window.addEventListener("resize", renderRows);
  requestAnimationFrame(frame);
  load();
})();
