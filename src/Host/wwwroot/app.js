// The operator console: plain modules, no build step, nothing fetched from elsewhere.
const $ = (selector, root = document) => root.querySelector(selector);
const page = $("#page");

const STATUS = { answered: "отвечен", missed: "пропущен", unanswered: "без ответа", "in-progress": "идёт", requested: "запрошен", failed: "ошибка", unknown: "неизвестно" };
const DIRECTION = { in: "входящий", out: "исходящий" };
const REASONS = {
  "unknown-caller": "звонящий неизвестен", "no-personal-manager": "нет менеджера", "manager-has-no-number": "у менеджера нет номера",
  "manager-unavailable": "менеджер недоступен", "routing-off": "маршрутизация выключена", "no-caller-number": "номер скрыт", "deadline-exceeded": "не успели ответить",
};

// What the person who clicked can do about a refused call (the API's "mnemonic"; other refusals show the API's text).
const CALL_REFUSALS = {
  ip_not_whitelisted: "UIS не принимает запросы с адреса CRM: добавьте его в белый список API в настройках UIS.",
  access_token_invalid: "UIS не принял ключ API: администратор задаёт новый в настройках.",
  access_token_expired: "Срок ключа API истёк: администратор задаёт новый в настройках.",
  access_token_blocked: "Ключ API заблокирован в UIS: администратор задаёт новый в настройках.",
  employee_not_found: "UIS не знает этого сотрудника: проверьте его ID в UIS в настройках.",
  no_active_phone_number: "У сотрудника нет активного номера в UIS.",
  contact_in_blacklist: "Номер в чёрном списке UIS.",
  virtual_phone_number_not_found: "Этой линии (виртуального номера) нет в UIS.",
  limit_exceeded: "Исчерпан поминутный лимит UIS, попробуйте через минуту.",
  "uis-timeout": "UIS не ответил вовремя; звонок мог начаться — он появится в журнале. Повторно не запрашиваем.",
  "uis-unreachable": "Нет связи с UIS; звонок не начат, попробуйте ещё раз.",
};

// ---- session --------------------------------------------------------------------------------

let token = localStorage.getItem("token");
let me = claimsOf(token);
let employees = [];

function claimsOf(jwt) {
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(decodeURIComponent(escape(atob(part))));
    return claims.exp * 1000 > Date.now() && claims.tenant ? { tenant: claims.tenant, employeeId: Number(claims.sub), admin: claims.role === "admin" } : null;
  } catch { return null; }
}

function signIn(newToken) {
  localStorage.setItem("token", newToken);
  token = newToken;
  me = claimsOf(newToken);
  location.hash = "#/journal";
  start();
}

async function api(path, { method = "GET", body } = {}) {
  const response = await fetch(path, {
    method, headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = data?.detail ?? data?.title ?? `HTTP ${response.status}`;
    const fields = data?.errors ? " " + Object.values(data.errors).flat().join(" ") : "";
    throw Object.assign(new Error(detail + fields), { problem: data });
  }
  return data;
}

// ---- small helpers ---------------------------------------------------------------------------

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

const when = value => value ? new Date(value).toLocaleString("ru-RU", { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" }) : "—";
const seconds = value => value == null ? "" : `${Math.floor(value / 60)}:${String(value % 60).padStart(2, "0")}`;
const employeeName = id => employees.find(e => e.id === id)?.fullName ?? (id ? `сотрудник ${id}` : "—");
const badge = status => h("span", { class: `badge ${status}`, text: STATUS[status] ?? status });

function toast(message, error = false) {
  const box = $("#toast");
  box.textContent = message;
  box.className = error ? "error" : "";
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 6000);
}

function phoneButton(phone) {
  return phone ? h("button", { class: "phone", "data-phone": phone, title: "Позвонить", text: phone }) : h("span", { class: "muted", text: "скрыт" });
}

function player(callId, recording) {
  if (!["archived", "pending"].includes(recording.status)) return h("span", { class: "muted", text: `запись: ${recording.status}` });
  return h("audio", { controls: true, preload: "none", src: `${recording.url}?access_token=${encodeURIComponent(token)}`, "data-call-id": callId });
}

function routingText(routing) {
  if (!routing) return "";
  return routing.outcome === "routed" ? `→ ${employeeName(routing.employeeId)}` : `в группу: ${REASONS[routing.reason] ?? routing.reason}`;
}

// ---- click-to-call ---------------------------------------------------------------------------

document.addEventListener("click", event => {
  const target = event.target.closest(".phone");
  if (target) callNumber(target.dataset.phone);
});

async function callNumber(phone) {
  try {
    const { lines } = await api("/api/settings/lines");
    let lineNumber;
    if (lines.length > 1) {
      const dialog = $("#line-picker");
      $("#line-choice").replaceChildren(...lines.map(l => h("option", { value: l, text: l })));
      dialog.showModal();
      await new Promise(resolve => dialog.addEventListener("close", resolve, { once: true }));
      if (dialog.returnValue !== "ok") return;
      lineNumber = $("#line-choice").value;
    }
    await api("/api/calls/outgoing", { method: "POST", body: { phone, lineNumber } });
    toast(`Звоним на ${phone}: UIS сначала звонит вам, затем клиенту`);
  } catch (error) {
    toast(`Не удалось позвонить: ${CALL_REFUSALS[error.problem?.mnemonic] ?? error.message}`, true);
  }
}

// ---- screen pop --------------------------------------------------------------------------------

let events;

function listen() {
  events?.close();
  events = new EventSource(`/api/events?access_token=${encodeURIComponent(token)}`);
  events.addEventListener("incoming-call", e => pop(JSON.parse(e.data), "Входящий звонок"));
  events.addEventListener("outgoing-call", e => pop(JSON.parse(e.data), "Исходящий звонок"));
  events.addEventListener("call-answered", e => {
    const { callId, employeeId } = JSON.parse(e.data);
    const box = $(`.popup[data-call-id="${callId}"]`);
    if (!box) return;
    if (employeeId !== me.employeeId) box.remove();
    else $(".state", box).textContent = "Вы разговариваете";
  });
  events.addEventListener("call-ended", e => $(`.popup[data-call-id="${JSON.parse(e.data).callId}"]`)?.remove());
}

async function pop(call, title) {
  const card = call.card;
  const box = h("div", { class: "popup", "data-call-id": call.callId },
    h("h3", {}, title, " ", phoneButton(call.phone)),
    h("div", { class: "muted", text: `Линия ${call.line ?? "—"}` }),
    card ? h("div", {},
      h("span", { class: "badge", text: card.kind === "lead" ? "Лид" : "Клиент" }), " ",
      card.isNewLead ? h("span", { class: "badge new", text: "Новый лид" }) : null, " ",
      h("strong", { class: "card-name", text: card.name ?? "Без имени" }),
      h("div", { class: "muted", text: `Менеджер: ${card.personalManager?.fullName ?? "не назначен"}` })) : h("div", { class: "muted", text: "Номер не определён" }),
    h("ul", { class: "last-calls" }),
    h("div", { class: "state muted" }),
    h("div", {}, card ? h("a", { href: `#/card/${card.id}`, text: "Открыть карточку" }) : null, " ",
      h("button", { class: "link", text: "Закрыть", onclick: () => box.remove() })));
  $("#popups").prepend(box);
  if (!card) return;
  try {
    const full = await api(`/api/clients/${card.id}`);
    $(".last-calls", box).replaceChildren(...full.recentCalls.filter(c => c.callId !== call.callId).slice(0, 3)
      .map(c => h("li", { text: `${when(c.at)} · ${DIRECTION[c.direction] ?? ""} · ${STATUS[c.status] ?? c.status}` })));
  } catch { /* the popup stands without its history */ }
}

// ---- pages -------------------------------------------------------------------------------------

async function signinPage() {
  page.replaceChildren(h("h1", { text: "Вход" }));
  const demo = (await isDemo()) ? await fetch("/demo/employees").then(r => r.json()) : null;
  if (demo) {
    page.append(h("section", { class: "panel" }, h("p", { text: "Демо-режим: выберите сотрудника." }),
      h("div", { class: "employees-picker" }, demo.map(e =>
        h("button", { class: "secondary", "data-employee": e.id, onclick: () => signIn(e.token), text: `${e.fullName}${e.role === "admin" ? " (админ)" : ""}` })))));
  }
  const area = h("textarea", { id: "token", placeholder: "Токен сотрудника (Bearer)" });
  page.append(h("section", { class: "panel" }, h("p", { text: "Вставьте токен, выданный CRM:" }), area,
    h("p", {}, h("button", { onclick: () => claimsOf(area.value.trim()) ? signIn(area.value.trim()) : toast("Токен не подходит или истёк", true), text: "Войти" }))));
}

let journalCursor = [];

async function journalPage(query) {
  const filters = h("form", { class: "filters panel", id: "filters" },
    h("label", {}, "С", h("input", { type: "date", name: "from", value: query.get("from") })),
    h("label", {}, "По", h("input", { type: "date", name: "to", value: query.get("to") })),
    h("label", {}, "Направление", select("direction", query.get("direction"), { "": "все", in: "входящие", out: "исходящие" })),
    h("label", {}, "Статус", select("status", query.get("status"), { "": "все", ...STATUS })),
    h("label", {}, "Сотрудник", select("employeeId", query.get("employeeId"), { "": "все", ...Object.fromEntries(employees.map(e => [e.id, e.fullName])) })),
    h("label", {}, "Телефон", h("input", { name: "phone", value: query.get("phone"), placeholder: "в любом формате" })),
    h("button", { type: "submit", text: "Показать" }));
  filters.addEventListener("submit", event => {
    event.preventDefault();
    const chosen = new URLSearchParams([...new FormData(filters)].filter(([, v]) => v));
    journalCursor = [];
    location.hash = `#/journal?${chosen}`;
  });
  const table = h("table", { id: "journal-table" }, h("thead", {}, h("tr", {},
    ["Время", "Направление", "Клиент", "Сотрудник", "Статус", "Длит.", "Маршрут", "Запись"].map(t => h("th", { text: t })))), h("tbody"));
  page.replaceChildren(h("h1", { text: "Журнал звонков" }), h("section", { class: "panel", id: "chart-panel" }), filters,
    h("div", { class: "table-wrap" }, table), h("div", { class: "pager" }));
  chart();

  const params = new URLSearchParams(query);
  if (params.get("from")) params.set("from", new Date(params.get("from")).toISOString());
  if (params.get("to")) params.set("to", new Date(new Date(params.get("to")).getTime() + 86_400_000).toISOString());
  params.set("limit", "25");
  const cursor = journalCursor.at(-1);
  if (cursor) params.set("cursor", cursor);
  const data = await api(`/api/calls?${params}`);
  $("tbody", table).replaceChildren(...data.items.map(call => h("tr", { "data-call-id": call.id, "data-status": call.status },
    h("td", { text: when(call.startedAt) }),
    h("td", { text: DIRECTION[call.direction] ?? "—" }),
    h("td", {}, phoneButton(call.clientPhone), call.clientId ? h("div", {}, h("a", { href: `#/card/${call.clientId}`, text: "карточка" })) : null),
    h("td", { text: employeeName(call.employeeId) }),
    h("td", {}, badge(call.status), call.failureReason ? h("div", { class: "muted", text: CALL_REFUSALS[call.failureReason] ?? call.failureReason }) : null),
    h("td", { text: seconds(call.talkSeconds) }),
    h("td", { class: "routing", text: routingText(call.routing) }),
    h("td", {}, call.recordings.map(r => player(call.id, r))))));
  if (data.items.length === 0) $("tbody", table).append(h("tr", {}, h("td", { colspan: 8, class: "muted", text: "Звонков нет" })));
  const pager = $(".pager");
  if (journalCursor.length) pager.append(h("button", { class: "secondary", text: "В начало", onclick: () => { journalCursor = []; route(); } }));
  if (data.nextCursor) pager.append(h("button", { class: "secondary", id: "next-page", text: "Дальше", onclick: () => { journalCursor.push(data.nextCursor); route(); } }));
}

function select(name, value, options) {
  return h("select", { name }, Object.entries(options).map(([v, t]) => h("option", { value: v, text: t, selected: String(value ?? "") === String(v) })));
}

/** Calls per day for the last 30 days: answered and missed as stacked bars. */
async function chart() {
  const panel = $("#chart-panel");
  const { days } = await api("/api/calls/per-day?days=30");
  const width = 900, height = 180, bar = width / days.length, top = Math.max(1, ...days.map(d => d.answered + d.missed + d.unanswered));
  const scale = value => (value / top) * (height - 30);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Звонки по дням за 30 дней");
  const rect = (x, y, w, hgt, fill, title) => {
    const r = document.createElementNS(svg.namespaceURI, "rect");
    Object.entries({ x, y, width: w, height: hgt, fill, rx: 2 }).forEach(([k, v]) => r.setAttribute(k, v));
    const t = document.createElementNS(svg.namespaceURI, "title");
    t.textContent = title;
    r.append(t);
    return r;
  };
  days.forEach((day, i) => {
    const x = i * bar + 2, answered = scale(day.answered), missed = scale(day.missed + day.unanswered);
    const label = `${day.date}: отвечено ${day.answered}, пропущено ${day.missed}, без ответа ${day.unanswered}`;
    svg.append(rect(x, height - 20 - answered, bar - 4, answered, "#2da44e", label));
    svg.append(rect(x, height - 20 - answered - missed, bar - 4, missed, "#cf222e", label));
    if (i % 5 === 0 || i === days.length - 1) {
      const text = document.createElementNS(svg.namespaceURI, "text");
      Object.entries({ x: x, y: height - 5, "font-size": 11, fill: "#6b7785" }).forEach(([k, v]) => text.setAttribute(k, v));
      text.textContent = day.date.slice(8, 10) + "." + day.date.slice(5, 7);
      svg.append(text);
    }
  });
  panel.replaceChildren(h("div", { class: "legend" }, h("strong", { text: "Звонки за 30 дней" }),
    h("span", {}, h("i", { style: "background:#2da44e" }), "отвечено"), h("span", {}, h("i", { style: "background:#cf222e" }), "пропущено")), svg);
}

async function leadsPage() {
  const leads = await api("/api/leads?status=open");
  page.replaceChildren(h("h1", { text: "Открытые лиды" }), h("div", { class: "table-wrap" }, h("table", {},
    h("thead", {}, h("tr", {}, ["Лид", "Телефоны", "Первый контакт", "Звонков", "Пропущено"].map(t => h("th", { text: t })))),
    h("tbody", {}, leads.map(l => h("tr", {},
      h("td", {}, h("a", { href: `#/card/${l.id}`, text: l.name ?? "Без имени" })),
      h("td", {}, l.phones.map(phoneButton)),
      h("td", { text: when(l.firstContactAt) }), h("td", { text: l.callCount }), h("td", { text: l.missedCount })))))));
}

async function cardPage(id) {
  const card = await api(`/api/clients/${id}`);
  const manager = h("section", { class: "panel", id: "manager" }, h("h2", { text: "Персональный менеджер" }),
    h("p", { id: "manager-name", text: card.personalManager?.fullName ?? "не назначен" }));
  if (me.admin) {
    const choice = select("manager", card.personalManager?.employeeId, { "": "— без менеджера —", ...Object.fromEntries(employees.map(e => [e.id, e.fullName])) });
    choice.id = "manager-select";
    manager.append(choice, " ", h("button", {
      id: "save-manager", text: "Сохранить", onclick: async () => {
        try {
          if (choice.value) await api(`/api/clients/${id}/personal-manager`, { method: "PUT", body: { employeeId: Number(choice.value) } });
          else await api(`/api/clients/${id}/personal-manager`, { method: "DELETE" });
          toast("Менеджер сохранён");
          route();
        } catch (error) { toast(error.message, true); }
      },
    }));
  }
  const convert = card.kind === "lead" ? h("section", { class: "panel" }, h("h2", { text: "Превратить лид в клиента" }),
    h("input", { id: "client-name", placeholder: "Имя или компания", value: card.name ?? "" }), " ",
    h("button", {
      id: "convert", text: "Сделать клиентом", onclick: async () => {
        try {
          await api(`/api/leads/${id}/convert`, { method: "POST", body: { name: $("#client-name").value || null } });
          toast("Теперь это клиент");
          route();
        } catch (error) { toast(error.message, true); }
      },
    })) : null;
  page.replaceChildren(
    h("h1", {}, card.name ?? "Без имени", " ", h("span", { class: "badge", id: "card-kind", text: card.kind === "lead" ? "Лид" : "Клиент" })),
    h("div", { class: "grid" },
      h("section", { class: "panel" }, h("h2", { text: "Телефоны" }), h("div", {}, card.phones.map(p => h("div", {}, phoneButton(p)))),
        h("p", { class: "muted", text: `Первый контакт ${when(card.firstContactAt)} · звонков ${card.callCount} · пропущено подряд ${card.missedCount}` })),
      manager, convert),
    h("h2", { text: "Последние звонки" }),
    h("div", { class: "table-wrap" }, h("table", {}, h("tbody", {}, card.recentCalls.map(c => h("tr", {},
      h("td", { text: when(c.at) }), h("td", { text: DIRECTION[c.direction] ?? "" }), h("td", {}, badge(c.status)),
      h("td", {}, c.recordings.map(r => player(c.callId, r)))))))));
}

async function settingsPage() {
  const [uis, lines, routing, setup, diagnostics] = await Promise.all([
    api("/api/settings/uis"), api("/api/settings/lines"), api("/api/settings/routing"), api("/api/settings/uis/setup"), api("/api/settings/uis/diagnostics")]);
  const save = (action, message) => async () => {
    try { await action(); toast(message); route(); } catch (error) { toast(error.message, true); }
  };
  let checked = null;

  const keyPanel = h("section", { class: "panel" }, h("h2", { text: "Ключ API UIS" }),
    h("p", { id: "key-state", text: uis.apiKeySet ? `Ключ задан: ••••${uis.apiKeyLast4}` : "Ключ не задан" }),
    h("input", { id: "api-key", type: "password", autocomplete: "off", placeholder: "новый ключ" }), " ",
    h("button", { id: "save-key", text: "Сохранить", onclick: save(() => api("/api/settings/uis", { method: "PUT", body: { apiKey: $("#api-key").value } }), "Ключ сохранён") }), " ",
    h("button", {
      class: "secondary", id: "check", text: "Проверить подключение", onclick: async () => {
        try {
          checked = await api("/api/settings/uis/check", { method: "POST" });
          $("#check-result").replaceChildren(
            h("p", { text: `Линии: ${checked.virtualNumbers.map(n => n.number).join(", ") || "нет"}` }),
            h("p", { text: `Сотрудники UIS: ${checked.employees.map(e => `${e.fullName} (${e.uisEmployeeId})`).join(", ") || "нет"}` }),
            h("button", { class: "secondary", id: "import", text: "Импортировать линии и сотрудников", onclick: importChecked }));
        } catch (error) { $("#check-result").replaceChildren(h("p", { class: "badge failed", text: error.message })); }
      },
    }),
    h("div", { id: "check-result" }));

  async function importChecked() {
    try {
      const known = new Set(employees.map(e => e.uisEmployeeId));
      let next = Math.max(0, ...employees.map(e => e.id)) + 1;
      for (const e of checked.employees.filter(e => !known.has(e.uisEmployeeId) && e.phoneNumbers.length))
        await api(`/api/settings/employees/${next++}`, { method: "PUT", body: { fullName: e.fullName ?? `Сотрудник ${e.uisEmployeeId}`, uisEmployeeId: e.uisEmployeeId, phones: e.phoneNumbers.map(p => "+" + p.number.replace(/^\+/, "")) } });
      await api("/api/settings/lines", { method: "PUT", body: { lines: [...new Set([...lines.lines, ...checked.virtualNumbers.map(n => "+" + n.number.replace(/^\+/, ""))])] } });
      employees = await api("/api/settings/employees");
      toast("Импортировано");
      route();
    } catch (error) { toast(error.message, true); }
  }

  const linesArea = h("textarea", { id: "lines", text: lines.lines.join("\n") });
  const linesPanel = h("section", { class: "panel" }, h("h2", { text: "Линии (виртуальные номера)" }), linesArea,
    h("button", { id: "save-lines", text: "Сохранить линии", onclick: save(() => api("/api/settings/lines", { method: "PUT", body: { lines: linesArea.value.split(/\s+/).filter(Boolean) } }), "Линии сохранены") }));

  const employeeRows = employees.map(e => employeeRow(e));
  const employeesPanel = h("section", { class: "panel" }, h("h2", { text: "Сотрудники и их номера в UIS" }),
    h("div", { class: "table-wrap" }, h("table", { id: "employees" }, h("thead", {}, h("tr", {}, ["№", "Имя", "ID в UIS", "Телефоны", ""].map(t => h("th", { text: t })))),
      h("tbody", {}, employeeRows))),
    h("button", { class: "secondary", text: "Добавить сотрудника", onclick: () => $("#employees tbody").append(employeeRow({ id: Math.max(0, ...employees.map(e => e.id)) + 1, fullName: "", uisEmployeeId: null, phones: [] })) }));

  function employeeRow(e) {
    const row = h("tr", {}, h("td", {}, h("input", { class: "id", type: "number", value: e.id, style: "width:4.5rem" })),
      h("td", {}, h("input", { class: "name", value: e.fullName })), h("td", {}, h("input", { class: "uis", type: "number", value: e.uisEmployeeId ?? "" })),
      h("td", {}, h("input", { class: "phones", value: e.phones.join(", ") })));
    row.append(h("td", {}, h("button", {
      class: "secondary", text: "Сохранить", onclick: save(() => api(`/api/settings/employees/${$(".id", row).value}`, {
        method: "PUT", body: { fullName: $(".name", row).value, uisEmployeeId: $(".uis", row).value ? Number($(".uis", row).value) : null, phones: $(".phones", row).value.split(/[,\s]+/).filter(Boolean) },
      }).then(async () => (employees = await api("/api/settings/employees"))), "Сотрудник сохранён"),
    })));
    return row;
  }

  const greetingKind = select("greeting-kind", routing.greeting?.text ? "text" : routing.greeting?.messageName ? "messageName" : "", { "": "без приветствия", text: "текст (UIS прочтёт)", messageName: "файл UIS" });
  greetingKind.id = "greeting-kind";
  const routingPanel = h("section", { class: "panel" }, h("h2", { text: "Маршрутизация на персонального менеджера" }),
    h("label", { style: "flex-direction:row;align-items:center" }, h("input", { type: "checkbox", id: "routing-enabled", checked: routing.enabled }), "включена"),
    h("p", {}, h("label", {}, "Разрешённые адреса UIS (IP или подсеть, по одному в строке)", h("textarea", { id: "allowed", text: routing.allowedSources.join("\n") }))),
    h("p", {}, greetingKind, " ", h("input", { id: "greeting", value: routing.greeting?.text ?? routing.greeting?.messageName ?? "" })),
    h("button", {
      id: "save-routing", text: "Сохранить маршрутизацию", onclick: save(() => api("/api/settings/routing", {
        method: "PUT", body: {
          enabled: $("#routing-enabled").checked, allowedSources: $("#allowed").value.split(/\s+/).filter(Boolean),
          greeting: greetingKind.value ? { [greetingKind.value]: $("#greeting").value } : null,
        },
      }), "Маршрутизация сохранена"),
    }));

  const copy = text => h("button", { class: "secondary", text: "Копировать", onclick: () => navigator.clipboard?.writeText(text).then(() => toast("Скопировано")) });
  const check = setup.checklist;
  const setupPanel = h("section", { class: "panel", id: "setup" }, h("h2", { text: "Настройка UIS" }),
    h("p", {}, "Ссылка для уведомлений: ", h("code", { id: "notification-link", text: setup.notificationLink }), " ", copy(setup.notificationLink)),
    h("p", {}, "Адрес маршрутизации: ", h("code", { text: setup.routingUrl }), " ", copy(setup.routingUrl)),
    h("ul", { class: "check" }, [
      [check.apiKeySet, "ключ API задан"], [check.apiKeyChecked, "подключение проверено"], [check.linesSet, "линии заданы"], [check.employeesMapped, "сотрудники сопоставлены"],
      [check.incomingCallSeen, "пришло уведомление о входящем"], [check.outgoingCallSeen, "пришло уведомление об исходящем"], [check.callEndSeen, "пришло уведомление о завершении"],
      [check.routingRequestSeen, "UIS спрашивал маршрут"]].map(([done, text]) => h("li", { class: done ? "done" : "", text }))),
    setup.templates.map(t => h("details", {}, h("summary", { text: `${t.name} (${t.uisEventType}, ${t.method})` }), h("pre", { text: t.body }), copy(t.body))));

  const diagnosticsPanel = h("section", { class: "panel" }, h("h2", { text: "Диагностика: последние запросы UIS" }),
    diagnostics.length === 0 ? h("p", { class: "muted", text: "Запросов пока не было" }) :
      h("div", { class: "table-wrap" }, h("table", {}, h("tbody", {}, diagnostics.map(d => h("tr", {},
        h("td", { text: when(d.at) }), h("td", { text: d.kind }), h("td", { text: d.status }),
        h("td", {}, d.warnings.length ? d.warnings.map(w => h("div", { class: "badge failed", text: w })) : h("span", { class: "muted", text: "без замечаний" }))))))));

  page.replaceChildren(h("h1", { text: "Настройки" }), keyPanel, h("div", { class: "grid" }, linesPanel, routingPanel), employeesPanel, setupPanel, diagnosticsPanel);
}

// ---- routing and start ---------------------------------------------------------------------------

async function route() {
  const [path, search] = (location.hash.slice(1) || "/journal").split("?");
  const query = new URLSearchParams(search);
  const [, name, id] = path.split("/");
  document.querySelectorAll("header nav a").forEach(a => a.classList.toggle("active", a.dataset.page === name));
  if (!me) return signinPage();
  try {
    if (name === "card" && id) await cardPage(id);
    else if (name === "leads") await leadsPage();
    else if (name === "settings" && me.admin) await settingsPage();
    else await journalPage(query);
  } catch (error) {
    page.replaceChildren(h("h1", { text: "Не получилось" }), h("p", { text: error.message }));
  }
}

const isDemo = () => fetch("/console/config").then(r => r.json()).then(c => c.demo).catch(() => false);

async function start() {
  $("#top").hidden = !me;
  if (me) {
    employees = await api("/api/settings/employees").catch(() => []);
    $("#who").textContent = `${employeeName(me.employeeId)} · ${me.tenant}`;
    document.querySelectorAll("[data-admin]").forEach(e => (e.hidden = !me.admin));
    listen();
    $("#simulate").hidden = !(await isDemo());
  }
  await route();
}

$("#signout").addEventListener("click", () => {
  localStorage.removeItem("token");
  token = null;
  me = null;
  events?.close();
  start();
});
$("#simulate").addEventListener("click", async () => {
  try {
    const { from } = await api("/demo/incoming", { method: "POST" });
    toast(`Симулятор звонит с ${from}`);
  } catch (error) { toast(error.message, true); }
});
window.addEventListener("hashchange", () => { journalCursor = location.hash.startsWith("#/journal") ? journalCursor : []; route(); });
start();
