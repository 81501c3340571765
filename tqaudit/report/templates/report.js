'use strict';
// tqaudit report: builds the findings table and segment cards from the JSON block.
// Input text only ever reaches the page through textContent / createTextNode.
(function () {
  const D = JSON.parse(document.getElementById('data').textContent);
  const $ = (id) => document.getElementById(id);
  const SEVERITIES = ['error', 'warning', 'info'];
  const BREAKS = /[\r\n\t\u000b\u000c\u0085\u2028\u2029]/g;
  const CONTEXT = 30;
  const collator = new Intl.Collator('en', {numeric: true});
  const points = new Map();  // segment index -> target as code points (Python offsets count them)

  function codePoints(si) {
    let cps = points.get(si);
    if (!cps) { cps = Array.from(D.segs[si][3]); points.set(si, cps); }
    return cps;
  }
  const embedded = (si) => D.segs[si].length > 3;

  function excerptOf(si, a, b) {  // tqaudit.findings.excerpt, on code points
    const t = codePoints(si), n = t.length;
    if (a < 0) { a = 0; b = Math.min(n, 2 * CONTEXT); }
    const left = Math.max(0, a - CONTEXT), right = Math.min(n, b + CONTEXT);
    return ((left ? '…' : '') + t.slice(left, right).join('') + (right < n ? '…' : '')).replace(BREAKS, ' ');
  }

  const rows = [];
  for (let i = 0; i * D.rowFields < D.f.length; i++) {
    const [k, si, a, b, m, g, t] = D.f.slice(i * D.rowFields, (i + 1) * D.rowFields);
    const x = t < 0 ? undefined : D.texts[t];
    const [rule, category, severity] = D.kinds[k];
    const full = embedded(si);
    const flagged = full ? (a >= 0 ? codePoints(si).slice(a, b).join('') : '') : (a >= 0 ? x : '');
    const suggestion = D.sugs[g];
    const template = D.msgs[m];  // a template, or [the message verbatim]
    const message = Array.isArray(template) ? template[0]
      : template.split('\u0002').join(suggestion).split('\u0001').join(flagged);
    const excerpt = x !== undefined ? x : excerptOf(si, a, b);
    rows.push({i, si, a, b, rule, category, severity, rank: SEVERITIES.indexOf(severity),
      segment: D.segs[si][0], line: D.segs[si][1], message, excerpt, suggestion, hay: null});
  }
  const bySegment = new Map();
  for (const r of rows) {
    if (!bySegment.has(r.si)) bySegment.set(r.si, []);
    bySegment.get(r.si).push(r);
  }

  const state = {key: null, dir: 1, page: 0, view: rows, current: null};
  const compare = {
    severity: (p, q) => p.rank - q.rank,
    line: (p, q) => p.line - q.line,
  };
  const textCompare = (key) => (p, q) => collator.compare(p[key], q[key]);

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function update() {
    const sev = $('f-severity').value, cat = $('f-category').value, rule = $('f-rule').value;
    const text = $('f-text').value.trim().toLowerCase();
    let view = rows.filter((r) => (!sev || r.severity === sev) && (!cat || r.category === cat)
      && (!rule || r.rule === rule));
    if (text) {
      view = view.filter((r) => {
        if (r.hay === null) {
          r.hay = [r.severity, r.rule, r.category, r.segment, r.message, r.excerpt, r.suggestion].join('\n').toLowerCase();
        }
        return r.hay.includes(text);
      });
    }
    if (state.key) {
      const cmp = compare[state.key] || textCompare(state.key);
      view = view.slice().sort((p, q) => state.dir * cmp(p, q) || p.i - q.i);
    }
    state.view = view;
    state.page = Math.min(state.page, Math.max(0, Math.ceil(view.length / D.pageSize) - 1));
    draw();
  }

  function ruleButton(code) {
    const b = el('button', code, 'link');
    b.type = 'button';
    b.title = D.rules[code] ? D.rules[code][0] + ': ' + D.rules[code][1] : code;
    b.addEventListener('click', (e) => { e.stopPropagation(); showDoc(code); });
    return b;
  }

  function draw() {
    const view = state.view, size = D.pageSize;
    const first = state.page * size, page = view.slice(first, first + size);
    const body = document.createDocumentFragment();
    for (const r of page) {
      const tr = document.createElement('tr');
      tr.dataset.index = String(r.i);
      if (state.current === r.si) tr.className = 'current';
      tr.append(el('td', r.severity, r.severity));
      const rule = el('td'); rule.append(ruleButton(r.rule)); tr.append(rule);
      tr.append(el('td', r.category));
      const seg = el('td'); const sb = el('button', r.segment, 'link'); sb.type = 'button'; seg.append(sb); tr.append(seg);
      const msg = el('td'); msg.append(messageNode(r));
      tr.append(el('td', r.line, 'n'), msg, el('td', r.excerpt, 'x'), el('td', r.suggestion, 'g'));
      tr.addEventListener('click', () => showCard(r.si));
      body.append(tr);
    }
    const tbody = $('findings').tBodies[0];
    tbody.replaceChildren(body);
    const pages = Math.max(1, Math.ceil(view.length / size));
    $('page-info').textContent = view.length
      ? `rows ${first + 1}–${first + page.length} of ${view.length} · page ${state.page + 1} of ${pages}`
      : 'no findings match';
    $('shown').textContent = `${view.length} of ${rows.length} findings`;
    $('prev').disabled = state.page === 0;
    $('next').disabled = state.page >= pages - 1;
  }

  // A consistency message names the other segments of its group in a "(see segments 1, 4)"
  // tail (tqaudit.rules.consistency.related_segments): each id of this report links to its card.
  const segIndex = new Map(D.segs.map((seg, si) => [seg[0], si]));
  const SEE = /\(see segments? (.+?)(?: and \d+ more)?\)$/;

  function messageNode(r) {
    const out = document.createDocumentFragment();
    const m = r.category === 'consistency' ? SEE.exec(r.message) : null;
    if (!m) { out.append(document.createTextNode(r.message)); return out; }
    const start = m.index + m[0].indexOf(' ', '(see segment'.length) + 1;  // after "(see segment(s) "
    out.append(document.createTextNode(r.message.slice(0, start)));
    m[1].split(', ').forEach((id, n) => {
      if (n) out.append(document.createTextNode(', '));
      const si = segIndex.get(id);
      if (si === undefined) { out.append(document.createTextNode(id)); return; }
      const a = el('a', id, 'seg');
      a.href = '#segment=' + encodeURIComponent(id);
      a.addEventListener('click', (event) => { event.preventDefault(); event.stopPropagation(); showCard(si); });
      out.append(a);
    });
    out.append(document.createTextNode(r.message.slice(start + m[1].length)));
    return out;
  }

  function highlighted(si, found) {
    const t = codePoints(si), spans = found.filter((r) => r.a >= 0);
    const cuts = new Set([0, t.length]);
    for (const r of spans) for (const p of [r.a, r.b]) if (p >= 0 && p <= t.length) cuts.add(p);
    const sorted = Array.from(cuts).sort((p, q) => p - q);
    const out = el('div', null, 'target');
    for (let n = 0; n + 1 < sorted.length; n++) {
      const a = sorted[n], b = sorted[n + 1], piece = t.slice(a, b).join('');
      const covering = spans.filter((r) => r.a <= a && b <= r.b);
      if (!covering.length) { out.append(document.createTextNode(piece)); continue; }
      const worst = covering.reduce((p, q) => (q.rank < p.rank ? q : p));
      const mark = el('mark', piece, worst.severity);
      mark.title = covering.map((r) => r.rule + ': ' + r.message).join('; ');
      out.append(mark);
    }
    return out;
  }

  function showCard(si) {
    const [id, line, scores] = D.segs[si];
    const found = bySegment.get(si) || [];
    const card = $('card');
    const parts = [el('h3', 'Segment ' + id), el('div', 'line ' + line, 'meta')];
    if (scores) {
      const shown = D.scoreKeys.map((k, n) => (scores[n] === null ? null : k + ' ' + scores[n].toFixed(1)));
      parts.push(el('div', shown.filter((v) => v !== null).join(' · '), 'meta scores'));
    }
    if (embedded(si)) {
      const [, , , , source, refs] = D.segs[si];
      parts.push(el('span', 'target', 'label'), highlighted(si, found));
      if (source) parts.push(el('span', 'source', 'label'), el('div', source, 'src'));
      refs.forEach((ref, n) => parts.push(el('span', refs.length > 1 ? 'reference ' + (n + 1) : 'reference', 'label'), el('div', ref, 'ref')));
    } else {
      parts.push(el('p', 'The texts of this segment are not in this page (it stays under 5 MB); '
        + 'segments.csv has them, and the input has it at line ' + line + '.', 'missing'));
    }
    const list = el('ul');
    for (const r of found) {
      const item = el('li');
      item.append(el('span', r.severity, r.severity), ' ', ruleButton(r.rule), ' ', messageNode(r));
      if (r.suggestion) item.append(el('span', ' → ' + r.suggestion, 'meta'));
      list.append(item);
    }
    parts.push(el('span', 'findings', 'label'), list);
    const close = el('button', 'close'); close.type = 'button';
    close.addEventListener('click', () => { card.hidden = true; $('workspace').classList.remove('open'); state.current = null; draw(); });
    parts.push(close);
    card.replaceChildren(...parts);
    card.hidden = false;
    card.dataset.segment = id;
    history.replaceState(null, '', '#segment=' + encodeURIComponent(id));  // a link to this card
    $('workspace').classList.add('open');
    state.current = si;
    draw();
  }

  function showDoc(code) {
    const info = D.rules[code];
    $('doc-title').textContent = info ? code + ' ' + info[0] : code;
    $('doc-text').textContent = info ? info[2] || info[1] : 'No documentation for this rule.';
    $('doc').showModal();
  }
  $('doc-close').addEventListener('click', () => $('doc').close());

  for (const th of document.querySelectorAll('#findings th[data-key]')) {
    th.querySelector('button').addEventListener('click', () => {
      const key = th.dataset.key;
      state.dir = state.key === key ? -state.dir : 1;
      state.key = key;
      for (const other of document.querySelectorAll('#findings th[data-key]')) other.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      state.page = 0;
      update();
    });
  }
  for (const id of ['f-severity', 'f-category', 'f-rule']) {
    $(id).addEventListener('change', () => { state.page = 0; update(); });
  }
  $('f-text').addEventListener('input', () => { state.page = 0; update(); });
  $('prev').addEventListener('click', () => { state.page -= 1; draw(); });
  $('next').addEventListener('click', () => { state.page += 1; draw(); });
  update();
  if (location.hash.startsWith('#segment=')) {
    const wanted = decodeURIComponent(location.hash.slice('#segment='.length));
    const si = D.segs.findIndex((seg) => seg[0] === wanted);
    if (si >= 0) { showCard(si); $('card').scrollIntoView({block: 'nearest'}); }
  }
})();
