// Thucydides' web page: plain JavaScript over the JSON API, no library, no build step.
// Every text that comes from an article or the store is put in the page as text
// (text nodes, textContent, setAttribute): never parsed as HTML.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const main = document.getElementById("main");

// ------------------------------------------------------------------ small helpers

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  setProps(e, props);
  appendAll(e, children);
  return e;
}

function svg(tag, props, ...children) {
  const e = document.createElementNS(SVGNS, tag);
  setProps(e, props);
  appendAll(e, children);
  return e;
}

function setProps(e, props) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.setAttribute("class", v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
}

function appendAll(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c)); // a string becomes a text node
  }
}

function show(...nodes) {
  main.replaceChildren(...nodes.flat().filter(Boolean));
}

function params() {
  return new URLSearchParams(location.search);
}

function query(obj) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && v !== undefined && String(v).trim() !== "") p.set(k, String(v).trim());
  }
  const s = p.toString();
  return s ? "?" + s : "";
}

async function api(path, args) {
  const r = await fetch("/api/" + path + query(args || {}), { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await r.json(); } catch (_) { /* not JSON */ }
  if (!r.ok) {
    const err = new Error((body && body.detail) || r.status + " " + r.statusText);
    err.status = r.status;
    throw err;
  }
  return body;
}

const actorHref = (id) => "/actors/" + encodeURIComponent(id);
const articleHref = (id, anchor) => "/articles/" + encodeURIComponent(id) + (anchor ? "#" + anchor : "");

function actorLink(id, name, cls) {
  return id ? el("a", { href: actorHref(id), class: cls || "actor" }, name || id) : el("span", { class: "muted" }, name || "unknown");
}

// Only web addresses become links; a path or anything else (javascript:, data:) stays text.
function sourceLink(link) {
  if (!link) return null;
  if (/^https?:\/\//i.test(link)) return el("a", { href: link, class: "source", rel: "noopener noreferrer nofollow", target: "_blank" }, link);
  return el("span", { class: "source muted" }, link);
}

function problem(err) {
  return el("p", { class: "problem" }, err && err.message ? err.message : String(err));
}

function fmt(n) {
  return Number(n).toLocaleString("en");
}

function dot(...parts) {
  const out = [];
  for (const p of parts.filter((x) => x !== null && x !== undefined && x !== "")) {
    if (out.length) out.push(" · ");
    out.push(p);
  }
  return out;
}

// Mark the words of a search in a text (a loose prefix match, as the search stems words).
function marked(text, q) {
  const words = (q || "").match(/[\p{L}\p{N}]+/gu) || [];
  const stems = words.filter((w) => w.length > 2).map((w) => w.slice(0, Math.max(3, w.length - 2)).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!stems.length) return [text];
  const re = new RegExp("(?<![\\p{L}\\p{N}])(" + stems.join("|") + ")[\\p{L}\\p{N}]*", "giu");
  const out = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(el("mark", {}, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function pager(page, base, what) {
  const { total, limit, offset } = page;
  const exact = page.total_exact !== false;  // false: a search with filters counts up to 1,000
  const shown = (page.quotes || page.articles || page.actors || []).length;
  const from = shown ? offset + 1 : 0;
  const to = offset + shown;
  const link = (off, label, rel) => {
    const p = params();
    p.set("offset", String(off));
    return el("a", { href: base + "?" + p.toString(), rel, class: "button" }, label);
  };
  return el("div", { class: "pager" },
    el("span", { class: "count" }, shown ? `${fmt(from)}–${fmt(to)} of ${fmt(total)}${exact ? "" : "+"} ${what}` : total && offset ? `nothing past ${fmt(total)} ${what}` : `no ${what}`),
    offset > 0 ? link(Math.max(0, offset - limit), "← previous", "prev") : null,
    to < total || (!exact && shown === limit) ? link(offset + limit, "next →", "next") : null);
}

function field(label, name, value, attrs) {
  return el("label", {}, el("span", {}, label), el("input", { name, value: value || "", ...(attrs || {}) }));
}

function setNav(which) {
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("here", a.dataset.nav === which);
}

function title(...parts) {
  document.title = [...parts.filter(Boolean), "Thucydides"].join(" — ");
}

// ------------------------------------------------------------------ quotes: search what was said

function quoteItem(q, search) {
  const who = q.speaker ? actorLink(q.speaker, q.speaker_name) : el("span", { class: "muted" }, q.source_text || "unknown speaker");
  const said = [q.cue, q.medium ? "[" + q.medium + "]" : null].filter(Boolean).join(" ");
  const sure = q.confidence === null || q.confidence === undefined ? null
    : el("span", { class: "confidence", title: "how sure the analyzer is of this statement and its speaker" }, Math.round(100 * q.confidence) + "% sure");
  return el("article", { class: "quote kind-" + q.kind, "data-confidence": q.confidence ?? "" },
    el("div", { class: "meta" }, dot(el("time", {}, q.published || "undated"), who, [q.role, q.country].filter(Boolean).join(", ") || null, said || null, sure)),
    el("blockquote", {}, q.kind === "direct" ? ["“", marked(q.content, search), "”"] : marked(q.content, search)),
    q.sentence && q.sentence !== q.content ? el("p", { class: "evidence" }, q.sentence) : null,
    el("div", { class: "meta" }, el("a", { href: articleHref(q.article_id, "q-" + q.n), class: "article-link" }, q.title || q.article_id), " ", sourceLink(q.link)));
}

async function quotesPage() {
  setNav("quotes");
  const p = params();
  const f = Object.fromEntries(["q", "speaker", "actor", "country", "since", "until", "min_confidence", "offset"].map((k) => [k, p.get(k) || ""]));
  title(f.q ? `“${f.q}”` : "Quotes");
  const form = el("form", { class: "filters", method: "get", action: "/", role: "search" },
    field("Said", "q", f.q, { type: "search", placeholder: "words or \"a phrase\"", autofocus: true }),
    field("Speaker", "speaker", f.speaker, { placeholder: "name" }),
    field("Country", "country", f.country, { placeholder: "ISO3, e.g. CHN", maxlength: 3, size: 6 }),
    field("Since", "since", f.since, { type: "date" }),
    field("Until", "until", f.until, { type: "date" }),
    field("Sure at least", "min_confidence", f.min_confidence, { type: "number", min: 0, max: 1, step: 0.05, placeholder: "0–1", size: 5 }),
    f.actor ? el("input", { type: "hidden", name: "actor", value: f.actor }) : null,
    el("button", { type: "submit" }, "Search"));
  const results = el("section", { id: "results" }, el("p", { class: "muted" }, "Searching…"));
  show(el("h1", {}, "Who said what"), form, results);
  try {
    const page = await api("quotes", { ...f, limit: 25 });
    const heading = f.actor ? el("p", { class: "chip" }, "Statements by ", actorLink(f.actor, page.quotes[0] ? page.quotes[0].speaker_name : f.actor), " ",
      el("a", { href: "/" + query({ ...f, actor: "", offset: "" }), class: "muted" }, "(everyone)")) : null;
    results.replaceChildren(heading || "", pager(page, "/", "statements"), ...page.quotes.map((q) => quoteItem(q, f.q)),
      page.total > page.limit ? pager(page, "/", "statements") : "");
  } catch (err) {
    results.replaceChildren(problem(err));
  }
}

// ------------------------------------------------------------------ articles

async function articlesPage() {
  setNav("articles");
  title("Articles");
  const p = params();
  const f = Object.fromEntries(["q", "since", "until", "offset"].map((k) => [k, p.get(k) || ""]));
  const form = el("form", { class: "filters", method: "get", action: "/articles", role: "search" },
    field("Words", "q", f.q, { type: "search", placeholder: "in the title or text" }),
    field("Since", "since", f.since, { type: "date" }), field("Until", "until", f.until, { type: "date" }),
    el("button", { type: "submit" }, "Search"));
  const results = el("section", {}, el("p", { class: "muted" }, "Loading…"));
  show(el("h1", {}, "Articles"), form, results);
  try {
    const page = await api("articles", { ...f, limit: 50 });
    results.replaceChildren(pager(page, "/articles", "articles"), el("ul", { class: "list" }, page.articles.map((a) =>
      el("li", {}, el("time", {}, a.published || "undated"), " ", el("a", { href: articleHref(a.id) }, a.title || a.id), " ",
        el("span", { class: "muted" }, `${a.statements} statements, ${a.events} events`), " ", sourceLink(a.link)))));
  } catch (err) {
    results.replaceChildren(problem(err));
  }
}

// The article's text cut at every span boundary; each piece carries the spans that cover it.
function highlightedText(rec, names) {
  const spans = [];
  rec.attributions.forEach((a, i) => {
    spans.push({ s: a.content, cls: "hl-quote", q: i });
    if (a.cue) spans.push({ s: a.cue, cls: "hl-cue", q: i });
    if (a.source) spans.push({ s: a.source, cls: "hl-speaker", q: i, actor: a.speaker });
  });
  rec.events.forEach((e, j) => { if (e.trigger) spans.push({ s: e.trigger, cls: "hl-trigger", e: j }); });
  for (const a of rec.actors) for (const m of a.mentions || []) spans.push({ s: m, cls: "hl-mention", actor: a.id });
  const text = rec.text;
  const cuts = new Set([0, text.length]);
  for (const sp of spans) {
    if (sp.s.start >= 0 && sp.s.end <= text.length && sp.s.start < sp.s.end) { cuts.add(sp.s.start); cuts.add(sp.s.end); }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const firstQuote = new Set();
  const firstEvent = new Set();
  const out = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k], b = points[k + 1];
    const piece = text.slice(a, b);
    const cover = spans.filter((sp) => sp.s.start <= a && sp.s.end >= b);
    if (!cover.length) { out.push(piece); continue; }
    const classes = [...new Set(cover.map((sp) => sp.cls))];
    const actor = (cover.find((sp) => sp.cls === "hl-speaker" && sp.actor) || cover.find((sp) => sp.cls === "hl-mention") || {}).actor;
    const quote = cover.find((sp) => sp.q !== undefined);
    const event = cover.find((sp) => sp.e !== undefined);
    const tips = [];
    if (actor) tips.push(names[actor] || actor);
    if (quote) tips.push(`statement ${quote.q + 1}`);
    if (event) tips.push(`${rec.events[event.e].type} (event ${event.e + 1})`);
    const props = { class: classes.join(" "), title: tips.join(" · ") };
    if (quote) props["data-q"] = quote.q;
    if (event) props["data-e"] = event.e;
    if (quote && !firstQuote.has(quote.q)) { firstQuote.add(quote.q); props.id = "q-" + quote.q; }
    else if (event && !firstEvent.has(event.e)) { firstEvent.add(event.e); props.id = "e-" + event.e; }
    out.push(actor ? el("a", { ...props, href: actorHref(actor) }, piece) : el("span", props, piece));
  }
  return out;
}

function activate(kind, n) {
  for (const x of document.querySelectorAll(".active")) x.classList.remove("active");
  const pieces = document.querySelectorAll(`.text [data-${kind}="${Number(n)}"]`);
  for (const x of pieces) x.classList.add("active");
  const item = document.getElementById(`side-${kind}-${Number(n)}`);
  if (item) item.classList.add("active");
  if (pieces[0]) pieces[0].scrollIntoView({ block: "center" });
}

function eventLine(e, names) {
  const party = (ids, fallback) => ids.length ? ids.map((id, i) => [i ? " & " : "", actorLink(id, names[id])]) : el("span", { class: "muted" }, fallback || "?");
  const flags = ["negated", "hypothetical", "future"].filter((f) => e[f]);
  return [el("span", { class: "type quad-" + (e.quad || "none") }, e.type + (e.mode ? "/" + e.mode : "")), " ",
    party(e.source, e.source_span && e.source_span.text), " → ", party(e.target, e.target_span && e.target_span.text),
    e.trigger ? [" “", e.trigger.text, "”"] : null,
    e.date ? [" on ", e.date] : null, e.location ? [" in ", e.location] : null,
    flags.length ? el("span", { class: "flags" }, " [" + flags.join(", ") + "]") : null];
}

async function articlePage(id) {
  setNav("articles");
  show(el("p", { class: "muted" }, "Loading…"));
  let rec;
  try {
    rec = await api("articles/" + encodeURIComponent(id));
  } catch (err) {
    title("Not found");
    show(el("h1", {}, "Article"), problem(err));
    return;
  }
  title(rec.title || rec.id);
  const names = Object.fromEntries(rec.actors.map((a) => [a.id, a.name]));
  const legend = el("p", { class: "legend" }, el("span", { class: "hl-quote" }, "statement"), " ", el("span", { class: "hl-speaker" }, "speaker"), " ",
    el("span", { class: "hl-cue" }, "cue"), " ", el("span", { class: "hl-trigger" }, "event"), " ", el("span", { class: "hl-mention" }, "actor"));
  const statements = el("ol", { class: "side-list" }, rec.attributions.map((a, i) =>
    el("li", { id: `side-q-${i}` },
      el("a", { href: "#q-" + i, class: "jump", onclick: (ev) => { ev.preventDefault(); history.replaceState(null, "", "#q-" + i); activate("q", i); } }, "¶"), " ",
      a.speaker ? actorLink(a.speaker, names[a.speaker]) : el("span", { class: "muted" }, a.source ? a.source.text : "unknown"),
      a.cue || a.medium ? [" ", el("span", { class: "muted" }, [a.cue ? a.cue.text : "", a.medium ? " [" + a.medium + "]" : ""].join(""))] : null, ": ",
      el("q", { class: "kind-" + a.kind }, a.content.text))));
  const events = el("ol", { class: "side-list" }, rec.events.map((e, j) =>
    el("li", { id: `side-e-${j}` },
      el("a", { href: "#e-" + j, class: "jump", onclick: (ev) => { ev.preventDefault(); history.replaceState(null, "", "#e-" + j); activate("e", j); } }, "¶"), " ",
      eventLine(e, names))));
  const actors = el("ul", { class: "side-list actors" }, rec.actors.map((a) =>
    el("li", {}, actorLink(a.id, a.name), " ", el("span", { class: "muted" }, dot(a.kind, a.role, a.country)))));
  const body = el("div", { class: "text", lang: "en" }, highlightedText(rec, names));
  body.addEventListener("click", (ev) => {
    const t = ev.target.closest("[data-q],[data-e]");
    if (!t || t.tagName === "A") return;
    if (t.dataset.q !== undefined) activate("q", t.dataset.q);
    else activate("e", t.dataset.e);
  });
  show(el("h1", { class: "article-title" }, rec.title || "(no title)"),
    el("p", { class: "meta" }, dot(rec.published ? el("time", {}, rec.published) : "undated", rec.source, sourceLink(rec.path),
      `${rec.attributions.length} statements, ${rec.events.length} events, ${rec.actors.length} actors`)),
    el("div", { class: "article" },
      el("section", { class: "reading" }, legend, body),
      el("aside", {}, el("h2", {}, "Statements"), statements, el("h2", {}, "Events"), events, el("h2", {}, "Actors"), actors)));
  const m = /^#([qe])-(\d+)$/.exec(location.hash);
  if (m) activate(m[1], m[2]);
}

// ------------------------------------------------------------------ actors

async function actorsPage() {
  setNav("actors");
  title("Actors");
  const p = params();
  const f = Object.fromEntries(["q", "country", "offset"].map((k) => [k, p.get(k) || ""]));
  const form = el("form", { class: "filters", method: "get", action: "/actors", role: "search" },
    field("Name", "q", f.q, { type: "search", placeholder: "a part of the name" }),
    field("Country", "country", f.country, { placeholder: "ISO3", maxlength: 3, size: 6 }),
    el("button", { type: "submit" }, "Search"));
  const results = el("section", {}, el("p", { class: "muted" }, "Loading…"));
  show(el("h1", {}, "Actors"), form, results);
  try {
    const page = await api("actors", { ...f, limit: 50 });
    results.replaceChildren(pager(page, "/actors", "actors"), el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["Name", "Kind", "Country", "Role", "Statements", "Events", "Articles"].map((h) => el("th", {}, h)))),
      el("tbody", {}, page.actors.map((a) => el("tr", {}, el("td", {}, actorLink(a.id, a.name)), el("td", {}, a.kind), el("td", {}, a.country || ""),
        el("td", {}, a.role || ""), el("td", { class: "num" }, a.statements), el("td", { class: "num" }, a.events), el("td", { class: "num" }, a.articles))))));
  } catch (err) {
    results.replaceChildren(problem(err));
  }
}

function monthsBetween(first, last) {
  const out = [];
  let [y, m] = first.split("-").map(Number);
  const [y2, m2] = last.split("-").map(Number);
  while ((y < y2 || (y === y2 && m <= m2)) && out.length < 240) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

// Bars month by month: statements, and events split into cooperation and conflict.
function timelineChart(timeline) {
  const dated = timeline.filter((t) => /^\d{4}-\d{2}$/.test(t.month));
  if (!dated.length) return el("p", { class: "muted" }, "No dated statements or events.");
  const byMonth = Object.fromEntries(dated.map((t) => [t.month, t]));
  const months = monthsBetween(dated[0].month, dated[dated.length - 1].month);
  const rows = months.map((mo) => byMonth[mo] || { month: mo, statements: 0, acted: 0, acted_on: 0, cooperation: 0, conflict: 0 });
  const max = Math.max(1, ...rows.map((r) => Math.max(r.statements, r.acted + r.acted_on)));
  const W = Math.max(240, Math.min(960, rows.length * 56 + 56)), H = 170, pad = 28, band = (W - pad * 2) / rows.length, bw = Math.min(22, Math.max(3, band * 0.35));
  const y = (v) => H - pad - (v / max) * (H - pad * 2);
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: "chart", role: "img", "aria-label": "statements and events by month" });
  g.append(svg("line", { x1: pad, x2: W - pad, y1: H - pad, y2: H - pad, class: "axis" }));
  g.append(svg("text", { x: 2, y: y(max) + 4, class: "tick" }, String(max)));
  rows.forEach((r, i) => {
    const x = pad + i * band + band / 2;
    const events = r.acted + r.acted_on, other = Math.max(0, events - r.cooperation - r.conflict);
    if (r.statements) g.append(svg("rect", { x: x - bw - 1, y: y(r.statements), width: bw, height: H - pad - y(r.statements), class: "bar-statements" },
      svg("title", {}, `${r.month}: ${r.statements} statements`)));
    let base = H - pad;
    for (const [v, cls] of [[r.cooperation, "bar-cooperation"], [r.conflict, "bar-conflict"], [other, "bar-other"]]) {
      if (!v) continue;
      const h = (v / max) * (H - pad * 2);
      g.append(svg("rect", { x: x + 1, y: base - h, width: bw, height: h, class: cls }, svg("title", {}, `${r.month}: ${v} ${cls.slice(4)} events`)));
      base -= h;
    }
    if (rows.length <= 24 || i % Math.ceil(rows.length / 12) === 0) g.append(svg("text", { x, y: H - pad + 14, class: "tick", "text-anchor": "middle" }, r.month));
  });
  const legend = el("p", { class: "legend" }, el("span", { class: "key bar-statements" }), " statements ", el("span", { class: "key bar-cooperation" }), " cooperation ",
    el("span", { class: "key bar-conflict" }), " conflict ", el("span", { class: "key bar-other" }), " other events");
  return el("div", {}, g, legend);
}

function counterpartTable(rows, heading) {
  if (!rows.length) return null;
  return el("div", {}, el("h3", {}, heading), el("table", { class: "grid" },
    el("thead", {}, el("tr", {}, ["", "Events", "Cooperation", "Conflict", "Mean Goldstein"].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((c) => el("tr", {}, el("td", {}, actorLink(c.id, c.name), c.country ? el("span", { class: "muted" }, " " + c.country) : null),
      el("td", { class: "num" }, c.events), el("td", { class: "num" }, c.cooperation), el("td", { class: "num" }, c.conflict),
      el("td", { class: "num" }, c.goldstein === null ? "" : c.goldstein.toFixed(1)))))));
}

async function actorPage(id) {
  setNav("actors");
  show(el("p", { class: "muted" }, "Loading…"));
  let d;
  try {
    d = await api("actors/" + encodeURIComponent(id), { limit: 200 });
  } catch (err) {
    title("Not found");
    show(el("h1", {}, "Actor"), problem(err));
    return;
  }
  const a = d.actor;
  title(a.name);
  const items = [
    ...d.quotes.map((q) => ({ date: q.published || "", kind: "said", q })),
    ...d.events.map((e) => ({ date: e.date || e.published || "", kind: "event", e })),
  ].sort((x, y) => (x.date < y.date ? 1 : x.date > y.date ? -1 : 0));
  const list = el("ol", { class: "timeline" });
  let month = null;
  for (const it of items) {
    const mo = it.date ? it.date.slice(0, 7) : "undated";
    if (mo !== month) { month = mo; list.append(el("li", { class: "month" }, mo)); }
    if (it.kind === "said") {
      const q = it.q;
      list.append(el("li", { class: "said" }, el("time", {}, q.published || ""), " ", el("span", { class: "badge" }, q.cue || "said"), " ",
        el("q", { class: "kind-" + q.kind }, q.content), " ", el("a", { href: articleHref(q.article_id, "q-" + q.n), class: "article-link" }, q.title || q.article_id)));
    } else {
      const e = it.e;
      const names = {};
      e.source.forEach((sid, i) => { names[sid] = e.source_names[i]; });
      e.target.forEach((tid, i) => { names[tid] = e.target_names[i]; });
      list.append(el("li", { class: "event" }, el("time", {}, e.date || e.published || ""), " ",
        eventLine({ ...e, trigger: e.trigger ? { text: e.trigger } : null, source_span: { text: e.source_text }, target_span: { text: e.target_text } }, names),
        " ", el("a", { href: articleHref(e.article_id, "e-" + e.n), class: "article-link" }, e.title || e.article_id)));
    }
  }
  const more = [];
  if (a.statements > d.quotes.length) more.push(el("a", { href: "/" + query({ actor: a.id }) }, `all ${fmt(a.statements)} statements`));
  show(el("h1", {}, a.name),
    el("p", { class: "meta" }, dot(a.kind, a.role, a.country, a.sector, a.wikidata ? el("a", { href: "https://www.wikidata.org/wiki/" + encodeURIComponent(a.wikidata), rel: "noopener noreferrer", target: "_blank" }, a.wikidata) : null,
      el("code", {}, a.id))),
    el("p", { class: "counts" }, `${fmt(a.statements)} statements · ${fmt(a.events)} events · named in ${fmt(a.articles)} articles`),
    el("section", {}, el("h2", {}, "Over time"), timelineChart(d.timeline)),
    el("div", { class: "columns" },
      el("section", { class: "wide" }, el("h2", {}, "Statements and events"), items.length ? list : el("p", { class: "muted" }, "Nothing yet."), more),
      el("aside", {}, el("h2", {}, "Whom they acted on"),
        counterpartTable(d.counterparts.filter((c) => c.direction === "to"), "Acted on") || el("p", { class: "muted" }, "No events with a target."),
        counterpartTable(d.counterparts.filter((c) => c.direction === "from"), "Acted on by"))));
}

// ------------------------------------------------------------------ the network of actors

// A force layout: nodes repel, edges pull, a weak pull to the centre; positions start on a
// circle, so the same network is drawn the same way each time.
function layout(nodes, edges, W, H) {
  const n = nodes.length;
  const idx = new Map(nodes.map((nd, i) => [nd.id, i]));
  const P = nodes.map((_, i) => ({ x: W / 2 + (W / 3) * Math.cos((2 * Math.PI * i) / n), y: H / 2 + (H / 3) * Math.sin((2 * Math.PI * i) / n) }));
  const links = edges.map((e) => [idx.get(e.source), idx.get(e.target), e.weight]).filter(([a, b]) => a !== undefined && b !== undefined);
  const k = Math.sqrt((W * H) / Math.max(1, n)) * 0.6;
  let temp = W / 8;
  for (let it = 0; it < 300; it++) {
    const D = P.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = P[i].x - P[j].x, dy = P[i].y - P[j].y;
        const d2 = Math.max(dx * dx + dy * dy, 0.01), f = (k * k) / d2;
        D[i].x += dx * f; D[i].y += dy * f; D[j].x -= dx * f; D[j].y -= dy * f;
      }
    }
    for (const [a, b, w] of links) {
      const dx = P[a].x - P[b].x, dy = P[a].y - P[b].y, d = Math.max(Math.hypot(dx, dy), 0.01);
      const f = (d / k) * Math.min(3, 1 + Math.log(w));
      D[a].x -= dx * f; D[a].y -= dy * f; D[b].x += dx * f; D[b].y += dy * f;
    }
    for (let i = 0; i < n; i++) {
      D[i].x += (W / 2 - P[i].x) * 0.02 * k; D[i].y += (H / 2 - P[i].y) * 0.02 * k;  // gravity keeps parts together
      const len = Math.max(Math.hypot(D[i].x, D[i].y), 0.01), step = Math.min(len, temp);
      P[i].x += (D[i].x / len) * step; P[i].y += (D[i].y / len) * step;
    }
    temp *= 0.985;
  }
  // fit into the box
  const xs = P.map((p) => p.x), ys = P.map((p) => p.y), m = 60;
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const s = Math.min((W - 2 * m) / Math.max(x1 - x0, 1), (H - 2 * m) / Math.max(y1 - y0, 1));
  return P.map((p) => ({ x: m + (p.x - x0) * s + ((W - 2 * m) - (x1 - x0) * s) / 2, y: m + (p.y - y0) * s + ((H - 2 * m) - (y1 - y0) * s) / 2 }));
}

function networkSvg(net) {
  const W = 960, H = 480;
  const pos = layout(net.nodes, net.edges, W, H);
  const at = new Map(net.nodes.map((nd, i) => [nd.id, pos[i]]));
  const radius = (nd) => 5 + 2.5 * Math.sqrt(nd.weight);
  const R = new Map(net.nodes.map((nd) => [nd.id, radius(nd)]));
  const names = new Map(net.nodes.map((nd) => [nd.id, nd.name]));
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "network", role: "img", "aria-label": "network of actors" },
    svg("defs", {}, ["cooperation", "conflict"].map((kind) => svg("marker", { id: "arrow-" + kind, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" },
      svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrow-" + kind })))));
  for (const e of net.edges) {
    const a = at.get(e.source), b = at.get(e.target);
    if (!a || !b) continue;
    const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.hypot(dx, dy), 1);
    const bend = e.kind === "conflict" ? 0.18 : -0.18;  // cooperation and conflict between the same pair bend apart
    const cx = (a.x + b.x) / 2 - dy * bend, cy = (a.y + b.y) / 2 + dx * bend;
    const rb = R.get(e.target) + 2, ex = b.x - ((b.x - cx) / Math.hypot(b.x - cx, b.y - cy)) * rb, ey = b.y - ((b.y - cy) / Math.hypot(b.x - cx, b.y - cy)) * rb;
    g.append(svg("path", { d: `M ${a.x.toFixed(1)} ${a.y.toFixed(1)} Q ${cx.toFixed(1)} ${cy.toFixed(1)} ${ex.toFixed(1)} ${ey.toFixed(1)}`,
      class: "edge edge-" + e.kind, "stroke-width": (1 + 1.5 * Math.log2(1 + e.weight)).toFixed(1), "marker-end": `url(#arrow-${e.kind})` },
      svg("title", {}, `${names.get(e.source)} → ${names.get(e.target)}: ${e.weight} ${e.kind} event${e.weight > 1 ? "s" : ""}` +
        (e.goldstein === null ? "" : ` (mean Goldstein ${e.goldstein})`) + (e.first ? `, ${e.first}${e.last !== e.first ? " to " + e.last : ""}` : ""))));
  }
  net.nodes.forEach((nd, i) => {
    const p = pos[i];
    g.append(svg("a", { href: actorHref(nd.id), class: "node kind-" + nd.kind },
      svg("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: R.get(nd.id).toFixed(1) }),
      svg("text", { x: (p.x + R.get(nd.id) + 3).toFixed(1), y: (p.y + 4).toFixed(1) }, nd.name),
      svg("title", {}, `${nd.name}${nd.country ? " (" + nd.country + ")" : ""}: ${nd.cooperation} cooperation, ${nd.conflict} conflict`)));
  });
  return g;
}

async function networkPage() {
  setNav("network");
  title("Network");
  const p = params();
  const f = Object.fromEntries(["since", "until", "type", "limit"].map((k) => [k, p.get(k) || ""]));
  const all = p.get("asserted") === "false";
  const types = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
  const form = el("form", { class: "filters", method: "get", action: "/network" },
    field("Since", "since", f.since, { type: "date" }), field("Until", "until", f.until, { type: "date" }),
    el("label", {}, el("span", {}, "Type"), el("select", { name: "type" }, el("option", { value: "" }, "all"), types.map((t) => el("option", { value: t, selected: t === f.type }, t)))),
    el("label", { class: "check" }, el("input", { type: "checkbox", name: "asserted", value: "false", checked: all }), " with negated and hypothetical events"),
    el("button", { type: "submit" }, "Draw"));
  const out = el("section", {}, el("p", { class: "muted" }, "Loading…"));
  show(el("h1", {}, "Who did what to whom"), form, out);
  try {
    const net = await api("network", { since: f.since, until: f.until, type: f.type, asserted: all ? "false" : "", limit: f.limit || 150 });
    if (!net.nodes.length) { out.replaceChildren(el("p", { class: "muted" }, "No events between two actors match.")); return; }
    out.replaceChildren(
      el("p", { class: "legend" }, el("span", { class: "key edge-cooperation" }), " cooperation ", el("span", { class: "key edge-conflict" }), " conflict · ",
        `${net.nodes.length} actors, ${net.edges.length} links` + (net.total_edges > net.edges.length ? ` (the heaviest of ${net.total_edges})` : "") +
        " · arrows point from the actor who acted to the one acted on; thicker means more events"),
      networkSvg(net));
  } catch (err) {
    out.replaceChildren(problem(err));
  }
}

// ------------------------------------------------------------------ routing

async function route() {
  const path = location.pathname.replace(/\/+$/, "") || "/";
  let m;
  if (path === "/" || path === "/quotes") return quotesPage();
  if (path === "/articles") return articlesPage();
  if ((m = /^\/articles\/(.+)$/.exec(path))) return articlePage(decodeURIComponent(m[1]));
  if (path === "/actors") return actorsPage();
  if ((m = /^\/actors\/(.+)$/.exec(path))) return actorPage(decodeURIComponent(m[1]));
  if (path === "/network") return networkPage();
  title("Not found");
  show(el("h1", {}, "Not found"), el("p", {}, "No page here. ", el("a", { href: "/" }, "Search quotes")));
}

async function headerStats() {
  try {
    const s = await api("stats");
    document.getElementById("stats").textContent = `${fmt(s.articles)} articles · ${fmt(s.attributions)} statements · ${fmt(s.events)} events · ${fmt(s.actors)} actors`;
  } catch (_) { /* the page works without it */ }
}

window.addEventListener("hashchange", () => {
  const m = /^#([qe])-(\d+)$/.exec(location.hash);
  if (m && document.querySelector(".text")) activate(m[1], m[2]);
});

headerStats();
route().then(() => document.body.setAttribute("data-ready", "true"));
