// The operators' dashboard: hash routes, JSON from /api, charts by ECharts, live via server-sent events.
"use strict";

let lang = localStorage.getItem("onething.lang") || "zh";
const t = (key) => (LABELS[lang] && LABELS[lang][key]) || LABELS.zh[key] || key;
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
const when = (ms) => ms ? new Date(ms).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", {timeZone: "Asia/Shanghai", hour12: false}) : "—";
const pct = (r) => r == null ? "—" : (100 * r).toFixed(1) + "%";
const num = (v, d = 2) => v == null ? "—" : (Math.round(v * 10 ** d) / 10 ** d).toString();
const page = document.getElementById("page");
const charts = [];

async function api(path) {
  const response = await fetch("/api/" + path);
  if (!response.ok) return null;
  return response.json();
}

function chart(id, option) {
  const el = document.getElementById(id);
  const c = echarts.init(el);
  c.setOption(Object.assign({animation: false, tooltip: {}}, option));
  charts.push(c);
  return c;
}

function table(headers, rows, rowClass = () => "") {
  const head = headers.map((h) => `<th>${esc(t(h))}</th>`).join("");
  const body = rows.length ? rows.map((r, i) => `<tr class="${rowClass(i)}">${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")
    : `<tr><td colspan="${headers.length}" class="muted">${esc(t("none"))}</td></tr>`;
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const caseLink = (id) => `<a class="case-link" href="#/cases/${encodeURIComponent(id)}">${esc(id)}</a>`;
const issueLink = (id) => `<a class="issue-link" href="#/issues/${encodeURIComponent(id)}">${esc(id)}</a>`;
const stateTag = (s) => `<span class="tag ${esc(s)}">${esc(t("state." + s))}</span>`;
// Shown when the dashboard let older closed cases go (ONETHING_DASHBOARD_CLOSED_CASES): say what the figures cover.
const windowNote = (w) => w && w.let_go ? `<p class="muted window-note">${esc(t("window.note").replace("{limit}", w.closed_limit).replace("{let_go}", w.let_go))}</p>` : "";
const card = (label, value, warn) => `<div class="card${warn ? " warn" : ""}">${esc(label)}<b>${esc(value)}</b></div>`;

const STATE_COLOURS = {open: "#1e88e5", overdue: "#e53935", completed: "#43a047", rejected: "#9e9e9e"};

const pages = {
  async overview() {
    const d = await api("overview");
    const names = d.flows.map((f) => lang === "zh" ? f.display_name : f.name);
    page.innerHTML = `${windowNote(d.window)}<div class="cards">${d.states.map((s) => card(t("state." + s), d.totals[s], s === "overdue" && d.totals[s])).join("")}
      ${card(t("issues.open"), d.issues.open)}${card(t("issues.overdue"), d.issues.overdue, d.issues.overdue)}
      ${card(t("dead.total"), d.dead_letters, d.dead_letters)}${card(t("events"), d.events)}</div>
      <h2>${esc(t("cases.flight"))}</h2><div id="c-flows" class="chart tall"></div>
      <h2>${esc(t("cases.latest"))}</h2>
      ${table(["col.case", "col.flow", "col.state", "col.started", "col.due", "col.ended", "col.holders"],
        d.cases.map((c) => [caseLink(c.case_id), esc(lang === "zh" ? c.flow_name : c.flow), stateTag(c.state),
          when(c.started), when(c.due), when(c.ended), esc(c.holders.join("、"))]),
        (i) => (d.cases[i].state === "overdue" ? "late" : "") + (d.cases[i].escalated ? " escalated" : ""))}`;
    chart("c-flows", {
      legend: {data: d.states.map((s) => t("state." + s))}, grid: {left: 180, right: 20},
      tooltip: {trigger: "axis"}, xAxis: {type: "value"}, yAxis: {type: "category", data: names},
      series: d.states.map((s) => ({name: t("state." + s), type: "bar", stack: "cases", color: STATE_COLOURS[s],
        label: {show: true, formatter: (p) => p.value || ""}, data: d.flows.map((f) => f[s])})),
    });
  },

  async departments() {
    const d = await api("departments");
    const rows = d.departments;
    page.innerHTML = `<h2>${esc(t("dept.title"))}</h2>${windowNote(d.window)}<div id="c-dept" class="chart"></div>
      ${table(["col.department", "col.backlog", "col.overdue", "col.done", "col.sla", "col.avg"],
        rows.map((r) => [esc(lang === "zh" ? r.name : r.department), r.backlog, r.overdue, r.done, pct(r.sla_rate), num(r.average_working_days)]),
        (i) => rows[i].overdue ? "late" : "")}
      <h2>${esc(t("dept.overdue"))}</h2>
      ${table(["col.case", "col.department", "col.matter", "col.heldfrom", "col.deadline", "col.late"],
        d.overdue.map((o) => [caseLink(o.case_id), esc(lang === "zh" ? o.name : o.department), esc(o.matter), when(o.started), when(o.due), num(o.late_working_days)]),
        () => "late")}`;
    chart("c-dept", {
      legend: {}, tooltip: {trigger: "axis"}, grid: {bottom: 110},
      xAxis: {type: "category", data: rows.map((r) => lang === "zh" ? r.name : r.department), axisLabel: {rotate: 40}},
      yAxis: {type: "value"},
      series: [
        {name: t("col.backlog"), type: "bar", data: rows.map((r) => r.backlog), color: "#1e88e5"},
        {name: t("col.overdue"), type: "bar", data: rows.map((r) => r.overdue), color: "#e53935"},
        {name: t("col.done"), type: "bar", data: rows.map((r) => r.done), color: "#43a047"},
      ],
    });
  },

  async flows(name) {
    const maps = await api("flows");
    const chosen = maps.find((m) => m.name === name) || maps[0];
    const label = (id) => (chosen.nodes.find((n) => n.id === id) || {}).label || id;
    page.innerHTML = `<h2>${esc(t("flows.title"))}</h2>
      <label>${esc(t("flows.pick"))} <select id="flow-pick">${maps.map((m) =>
        `<option value="${esc(m.name)}"${m.name === chosen.name ? " selected" : ""}>${esc(m.display_name)} · ${esc(m.name)}</option>`).join("")}</select></label>
      <div id="c-map" class="chart tall"></div>
      ${table(["col.from", "col.to", "col.event", "cases.total"], chosen.edges.map((e) => [esc(label(e.source)), esc(label(e.target)),
        esc(e.event || "—"), e.count]))}`;
    document.getElementById("flow-pick").onchange = (e) => { location.hash = "#/flows/" + e.target.value; };
    // Columns by depth along the declared edges: application left, last matters right.
    const depth = {[chosen.nodes[0].id]: 0};
    for (let pass = 0; pass < chosen.nodes.length; pass++) {
      for (const e of chosen.edges) depth[e.target] = Math.max(depth[e.target] ?? 0, (depth[e.source] ?? 0) + 1);
    }
    const rows = {};
    const nodes = chosen.nodes.map((n) => {
      const x = depth[n.id] ?? 1, y = (rows[x] = (rows[x] ?? -1) + 1);
      const text = n.kind === "application" ? `${n.label}\n${n.count} ${t("cases.total")}`
        : `${n.label}\n${lang === "zh" ? n.department_name : n.department}\n${t("state.open")} ${n.held} · ${t("col.done")} ${n.done}`;
      return {id: n.id, name: text, x: x * 260, y: y * 110, symbol: "roundRect", symbolSize: [190, 62],
        itemStyle: {color: n.kind === "application" ? "#b71c1c" : (n.held ? "#1e88e5" : "#78909c")},
        label: {show: true, color: "#fff", fontSize: 11}};
    });
    chart("c-map", {
      tooltip: {formatter: (p) => p.dataType === "edge" ? esc(`${p.data.event || ""} · ${p.data.value}`) : esc(p.name)},
      series: [{type: "graph", layout: "none", roam: true, data: nodes, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 9,
        links: chosen.edges.map((e) => ({source: e.source, target: e.target, value: e.count, event: e.event,
          label: {show: true, formatter: String(e.count), fontSize: 12}, lineStyle: {width: 1 + Math.min(e.count, 8)}})),
        lineStyle: {color: "#90a4ae", curveness: 0.1}}],
    });
  },

  async issues() {
    const d = await api("issues");
    const f = d.figures;
    page.innerHTML = `<h2>${esc(t("issues.title"))}</h2>${windowNote(d.window)}
      <div class="cards">${card(t("issues.open"), f.open ?? 0)}${card(t("issues.overdue"), d.issues.filter((i) => i.overdue).length, true)}
        ${card(t("issues.closure"), pct(f.closure_rate))}${card(t("issues.satisfaction"), pct(f.satisfaction_rate))}</div>
      <div class="grid"><div><h2>${esc(t("issues.byState"))}</h2><div id="c-state" class="chart"></div></div>
        <div><h2>${esc(t("issues.byDept"))}</h2><div id="c-idept" class="chart"></div></div>
        <div><h2>${esc(t("issues.byChannel"))}</h2><div id="c-channel" class="chart"></div></div></div>
      <h2>${esc(t("issues.list"))}</h2>
      ${table(["col.issue", "col.enterprise", "col.category", "col.channel", "col.status", "col.lead", "col.raised", "col.nextdeadline"],
        d.issues.map((i) => [issueLink(i.issue_id), esc(i.enterprise), esc(i.category_name), esc(i.channel_name),
          `<span class="tag ${esc(i.status)}">${esc(lang === "zh" ? i.status_name : i.status)}</span>`, esc(i.department_name || "—"),
          when(i.raised), when(i.deadline)]),
        (n) => (d.issues[n].overdue ? "late" : "") + (d.issues[n].escalated ? " escalated" : ""))}`;
    const pie = (id, counts, label) => chart(id, {tooltip: {trigger: "item"},
      series: [{type: "pie", radius: ["35%", "65%"], data: Object.entries(counts).map(([k, v]) => ({name: label(k), value: v}))}]});
    pie("c-state", d.by_state, (k) => lang === "zh" ? (d.state_names[k] || k) : k);
    pie("c-channel", d.by_channel, (k) => k);
    const depts = Object.entries(d.by_department).sort((a, b) => b[1] - a[1]);
    chart("c-idept", {grid: {left: 150}, xAxis: {type: "value"}, yAxis: {type: "category", data: depts.map((x) => x[0])},
      series: [{type: "bar", data: depts.map((x) => x[1]), color: "#fb8c00", label: {show: true}}]});
  },

  async case(id) {
    const d = await api("cases/" + encodeURIComponent(id));
    if (!d) { page.innerHTML = `<h2>${esc(id)}</h2><p>${esc(t("notfound"))}</p>`; return; }
    const c = d.case;
    const start = c ? c.started : (d.events[0] || {}).at;
    page.innerHTML = `<h2 id="case-title">${esc(t("case.title"))} · ${esc(id)} ${c ? stateTag(c.state) : ""}</h2>
      ${c ? `<p>${esc(t("col.flow"))}: ${esc(c.flow)} · ${esc(t("col.started"))}: ${when(c.started)} · ${esc(t("col.due"))}: ${when(c.due)} · ${esc(t("col.ended"))}: ${when(c.ended)}</p>` : ""}
      <div id="c-gantt" class="chart"></div>
      <h2>${esc(t("case.holdings"))}</h2>
      ${table(["col.department", "col.matter", "col.heldfrom", "col.heldto", "col.deadline", "col.days", "col.state"],
        d.holdings.map((h) => [esc(lang === "zh" ? h.name : h.department), esc(h.matter), when(h.started), when(h.ended), when(h.due),
          num(h.working_days), h.deadline_lost ? `<span class="tag overdue">${esc(t("case.lost"))}</span>` : (h.rejected ? stateTag("rejected") : (h.ended ? stateTag("completed") : stateTag("open")))]),
        (i) => d.holdings[i].deadline_lost ? "late" : "")}
      <h2>${esc(t("case.events"))}</h2>
      ${table(["col.when", "col.who", "col.event", "col.cause"],
        d.events.map((e) => [when(e.at), esc(e.who), esc(e.type) + (e.reasons.length ? `<br><span class="muted">${esc(e.reasons.join("；"))}</span>` : "")
          + (e.reason ? `<br><span class="muted">${esc(e.reason)}</span>` : ""), esc(e.cause || "—")]))}
      <pre>${esc(d.text.join("\n"))}</pre>`;
    const held = d.holdings.filter((h) => h.started);
    // Deadlines only where they matter (missed, or still ahead of a matter in hand), so a case
    // finished in seconds is not drawn against deadlines days away; the unit follows the span.
    const now = Date.now();
    const marks = held.map((h) => (h.deadline_lost || !h.ended ? h.due : null));
    const span = Math.max(1, ...held.map((h) => (h.ended || now) - start), ...marks.filter((m) => m).map((m) => m - start));
    const [unit, ms] = span < 120e3 ? ["s", 1e3] : span < 7200e3 ? ["min", 60e3] : span < 172800e3 ? ["h", 3600e3] : ["d", 86400e3];
    const at = (v) => v == null ? null : Number(((v - start) / ms).toFixed(3));
    chart("c-gantt", {
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}}, grid: {left: 260},
      xAxis: {type: "value", name: unit}, yAxis: {type: "category", data: held.map((h) => `${lang === "zh" ? h.name : h.department} · ${h.matter.split(".")[1]}`)},
      series: [
        {type: "bar", stack: "t", itemStyle: {color: "transparent"}, data: held.map((h) => at(h.started))},
        {name: t("col.days"), type: "bar", stack: "t", barMinWidth: 2, data: held.map((h) => ({value: Number((at(h.ended || now) - at(h.started)).toFixed(3)),
          itemStyle: {color: h.deadline_lost ? "#e53935" : "#43a047"}}))},
        {name: t("col.deadline"), type: "scatter", symbol: "diamond", symbolSize: 12, color: "#000",
          data: marks.map((m, i) => (m ? [at(m), i] : null)).filter((p) => p)},
      ],
    });
  },

  async issue(id) {
    const d = await api("issues/" + encodeURIComponent(id));
    if (!d) { page.innerHTML = `<h2>${esc(id)}</h2><p>${esc(t("notfound"))}</p>`; return; }
    page.innerHTML = `<h2 id="issue-title">${esc(t("issue.title"))} · ${esc(id)} · ${esc(d.enterprise || "")}
        <span class="tag ${esc(d.status)}">${esc(lang === "zh" ? d.status_name : d.status)}</span></h2>
      ${table(["col.when", "col.who", "col.verb", "col.what"],
        d.events.map((e) => [when(e.at), esc(e.who), esc(lang === "zh" ? e.verb : e.type), esc(e.what)]),
        (i) => ["IssueOverdue", "IssueStuck", "IssueEscalated"].includes(d.events[i].type) ? "late" : "")}`;
  },

  async "dead-letters"() {
    const d = await api("dead-letters");
    page.innerHTML = `<h2>${esc(t("dead.title"))}</h2><div class="cards">${card(t("dead.total"), d.total, d.total)}</div>
      <div id="c-dead" class="chart"></div>
      ${table(["col.kind", "col.reason", "col.agent", "col.source", "col.key"],
        d.letters.map((l) => [esc(l.kind), esc(l.reason), esc(l.agent), esc(`${l.topic}[${l.partition}]@${l.offset}`), esc(l.key)]))}`;
    chart("c-dead", {tooltip: {trigger: "item"}, legend: {},
      series: [{type: "pie", radius: "60%", data: Object.entries(d.by_kind).map(([k, v]) => ({name: k, value: v}))}]});
  },

  async report() {
    const d = await api("report");
    const figures = ["materials", "trips", "steps", "working_days", "submissions"];
    const published = d.flows.filter((f) => f.published);
    const flowName = (f) => lang === "zh" ? f.display_name : f.name;
    page.innerHTML = `<h2>${esc(t("report.title"))}</h2>${windowNote(d.window)}
      <div class="cards">${card(t("report.online"), pct(d.online_rate))}${card(t("state.completed"), d.cases.completed)}${card(t("state.open"), d.cases.open)}</div>
      ${serviceSections(d, flowName)}
      <h2>${esc(t("report.days"))}</h2><div id="c-report" class="chart"></div>
      ${d.flows.map((f) => `<h2>${esc(flowName(f))} <span class="muted">${esc(f.published ? t("report.source") + ": " + f.published.source : "")}</span></h2>
        ${table(["col.figure", "col.before", "col.after", "col.measured"], figures.map((k) => [esc(t("fig." + k)),
          f.published && f.published.before[k] != null ? num(f.published.before[k]) : "—",
          f.published && f.published.after[k] != null ? num(f.published.after[k]) : "—", num(f.measured[k])]))}`).join("")}`;
    if (d.channels) serviceCharts(d, flowName);
    chart("c-report", {legend: {}, tooltip: {trigger: "axis"}, grid: {bottom: 110},
      xAxis: {type: "category", data: published.map(flowName), axisLabel: {rotate: 30}},
      yAxis: {type: "value"},
      series: [["col.before", (f) => f.published.before.working_days], ["col.after", (f) => f.published.after.working_days],
        ["col.measured", (f) => f.measured.working_days]].map(([label, get]) => ({name: t(label), type: "bar", data: published.map((f) => get(f) == null ? null : num(get(f)))}))});
  },
};

// The report's service measures (as `onething report`): 秒办, on time, channels and 一网通办率 against
// its target, 帮代办 and 跨域办, 一类事 bundles, 15分钟办事圈.
function serviceSections(d, flowName) {
  const ch = d.channels;
  if (!ch) return "";
  const codes = Object.keys(ch.names);
  const target = ch.online_target;
  const verdict = (r) => r == null ? "—" : `${pct(r)} ${r >= target ? "✓" : "✗"}`;
  const total = (key) => d.flows.reduce((n, f) => n + (f[key] || 0), 0);
  const cov = d.coverage;
  const displayNames = Object.fromEntries(d.flows.map((f) => [f.name, flowName(f)]));
  const months = Object.entries(ch.online_by_month);
  return `<h2>${esc(t("svc.title"))}</h2>
    <div class="cards" id="service-cards">${card(`${t("report.online")} (${t("svc.target")} ≥ ${pct(target)})`, verdict(d.online_rate), d.online_rate != null && d.online_rate < target)}
      ${card(t("svc.assisted"), total("assisted"))}${card(t("svc.crossRegion"), total("cross_region"))}
      ${card(t("svc.bundles"), d.bundles.reduce((n, b) => n + b.requested, 0))}
      ${cov ? card(t("svc.coverage"), pct(cov.any_point_share)) : ""}</div>
    <div id="service-flows">${table(["col.flow", "cases.total", "svc.instant", "col.sla", "report.online",
        ...codes.map((c) => lang === "zh" ? ch.names[c] : c), "svc.assisted", "svc.crossRegion", "svc.coverage"],
      d.flows.map((f) => [esc(flowName(f)), f.cases.started, pct(f.instant_rate), pct(f.on_time_rate), verdict(f.online_rate),
        ...codes.map((c) => (f.channel_mix || {})[c] || 0), f.assisted ?? 0, f.cross_region ?? 0, pct(f.coverage_15min)]),
      (i) => d.flows[i].online_rate != null && d.flows[i].online_rate < target ? "late" : "")}</div>
    <div class="grid"><div><h2>${esc(t("svc.channels"))}</h2><div id="c-channels" class="chart"></div></div>
      <div><h2>${esc(t("svc.byMonth"))}</h2><div id="c-online" class="chart"></div>
        <p class="muted">${months.map(([m, v]) => `${esc(m)} ${esc(verdict(v.online_rate))}`).join(" · ") || esc(t("none"))}</p></div></div>
    <h2>${esc(t("svc.bundleTitle"))}</h2>
    <div id="service-bundles">${table(["svc.bundle", "svc.members", "svc.requested", "svc.allDone", "svc.refused", "state.open"],
      d.bundles.map((b) => [esc(lang === "zh" ? b.display_name : b.name), esc(b.members.map((m) => displayNames[m] || m).join(" + ")),
        b.requested, b.completed, b.completed_with_refusals, b.open]))}</div>
    ${cov ? `<h2>${esc(t("svc.coverageTitle"))}</h2><p id="service-coverage">${esc(cov.city)} · ${cov.addresses} ${esc(t("svc.addresses"))} ·
      ${esc(t("svc.anyPoint"))} ${pct(cov.any_point_share)} · ${cov.walk.minutes} min, ${cov.walk.speed_kmh} km/h × ${cov.walk.detour_factor}
      <br><span class="muted">${esc(cov.note)}</span></p>` : ""}`;
}

function serviceCharts(d, flowName) {
  const ch = d.channels;
  const codes = Object.keys(ch.names);
  chart("c-channels", {legend: {}, tooltip: {trigger: "axis"}, grid: {left: 180, right: 20, top: 40},
    xAxis: {type: "value"}, yAxis: {type: "category", data: d.flows.map(flowName)},
    series: codes.map((c) => ({name: lang === "zh" ? ch.names[c] : c, type: "bar", stack: "channels",
      data: d.flows.map((f) => (f.channel_mix || {})[c] || 0)}))});
  const months = Object.entries(ch.online_by_month);
  chart("c-online", {tooltip: {trigger: "axis"}, xAxis: {type: "category", data: months.map(([m]) => m)},
    yAxis: {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}},
    series: [{name: t("report.online"), type: "line", data: months.map(([, v]) => v.online_rate == null ? null : num(100 * v.online_rate, 1)),
      label: {show: true, formatter: "{c}%"},
      markLine: {symbol: "none", lineStyle: {color: "#e53935", type: "dashed"}, data: [{yAxis: 100 * ch.online_target, name: t("svc.target")}],
        label: {formatter: `${t("svc.target")} ${pct(ch.online_target)}`}}}]});
}

function route() {
  const [, first = "", ...rest] = location.hash.replace(/^#/, "").split("/");
  const arg = rest.length ? decodeURIComponent(rest.join("/")) : null;
  if (first === "cases" && arg) return ["case", arg];
  if (first === "issues" && arg) return ["issue", arg];
  if (first === "flows") return ["flows", arg];
  return [pages[first] ? first : "overview", arg];
}

let rendering = Promise.resolve();
function render() {
  rendering = rendering.then(async () => {
    const [name, arg] = route();
    const scroll = window.scrollY;
    const same = page.dataset.page === name && page.dataset.arg === (arg || "");
    // Old charts go once the new page is drawn: a live redraw never shows a page without its charts.
    const stale = charts.splice(0);
    if (!same) page.dataset.loaded = "false";
    try {
      await pages[name](arg);
    } catch (error) {
      page.innerHTML = `<pre>${esc(error)}</pre>`;
    }
    stale.forEach((c) => c.dispose());
    page.dataset.page = name;
    page.dataset.arg = arg || "";
    page.dataset.loaded = "true";
    if (same) window.scrollTo(0, scroll);
    document.querySelectorAll("#nav a").forEach((a) => a.classList.toggle("active", a.getAttribute("href").split("/")[1] === location.hash.split("/")[1]));
  });
  return rendering;
}

function translate() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  document.getElementById("lang").textContent = t("switch");
  document.title = t("title");
}

document.getElementById("lang").onclick = () => {
  lang = lang === "zh" ? "en" : "zh";
  localStorage.setItem("onething.lang", lang);
  translate();
  render();
};
window.addEventListener("hashchange", render);
window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

// Live: the server says when the log grew; the page redraws itself, no reload.
let version = null;
const live = new EventSource("/api/live");
live.onopen = () => document.getElementById("live").classList.add("on");
live.onerror = () => document.getElementById("live").classList.remove("on");
live.onmessage = (message) => {
  const next = JSON.stringify(JSON.parse(message.data).version);
  if (version !== null && next !== version) render();
  version = next;
};

translate();
render();
