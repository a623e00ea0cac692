// rawfeed dashboard: polls the JSON API of `rawfeed serve` and draws each domain's queue, worker,
// lake, batch and DLQ state. Plain JS with hand-made SVG charts, so the binary serves everything
// and nothing is fetched from the internet. Text from the API is only ever set as textContent:
// symbols and error messages come from outside and must never become markup.
'use strict';

(function () {
  const POLL_MS = 5000;
  const TOKEN_KEY = 'rawfeed.apiToken';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const COLORS = { visible: '#2f6fde', in_flight: '#1f9d55', delayed: '#8a94a6', dlq: '#d64545',
                   age: '#7a4fd1', throughput: '#2f6fde', errors: '#d64545',
                   p50: '#1f9d55', p95: '#d98c1a' };

  const sections = new Map();   // domain → {root, elements, state}
  const loaded = new Set();     // domains whose every document has loaded once

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function isNum(value) { return typeof value === 'number' && Number.isFinite(value); }

  // Exact figures for the data-metric spans (tests compare them with /metrics): no grouping.
  function plain(value) { return isNum(value) ? String(value) : '—'; }

  function compact(value) {
    if (!isNum(value)) return '—';
    const abs = Math.abs(value);
    if (abs >= 1e9) return (value / 1e9).toFixed(1).replace(/\.0$/, '') + 'G';
    if (abs >= 1e6) return (value / 1e6).toFixed(1).replace(/\.0$/, '') + 'M';
    if (abs >= 1e4) return (value / 1e3).toFixed(1).replace(/\.0$/, '') + 'k';
    if (abs >= 100 || Number.isInteger(value)) return String(Math.round(value));
    return String(Math.round(value * 100) / 100);
  }

  function bytes(value) {
    if (!isNum(value)) return '—';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = value; let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
    return (i === 0 ? String(v) : v.toFixed(1).replace(/\.0$/, '')) + ' ' + units[i];
  }

  function duration(seconds) {
    if (!isNum(seconds)) return '—';
    if (seconds < 90) return Math.round(seconds) + ' s';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min';
    if (seconds < 172800) return (seconds / 3600).toFixed(1) + ' h';
    return (seconds / 86400).toFixed(1) + ' d';
  }

  function utcTime(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    return date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }

  function hhmm(unixSeconds) { return new Date(unixSeconds * 1000).toISOString().slice(11, 16); }

  // 1, 2, 2.5 or 5 times a power of ten, so axis labels read naturally.
  function niceStep(range, count) {
    const raw = range / Math.max(count, 1);
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * power) return m * power;
    return 10 * power;
  }

  async function getJson(url) {
    const response = await fetch(url, { cache: 'no-store' });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error((body && body.error) || ('HTTP ' + response.status));
    return body;
  }

  // ---- charts --------------------------------------------------------------------------------

  // series: [{label, color, points: [[t, v], ...]}]; options: {format, threshold: {value, label}}
  function lineChart(container, series, options) {
    const W = 560; const H = 210; const m = { left: 50, right: 14, top: 12, bottom: 26 };
    const plotW = W - m.left - m.right; const plotH = H - m.top - m.bottom;
    const all = series.flatMap((s) => s.points.filter((p) => isNum(p[1])));
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img',
                              'aria-label': series.map((s) => s.label).join(', ') });
    container.replaceChildren(legend(series), root);
    if (all.length === 0) {
      root.appendChild(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' },
                           'no samples yet'));
      return;
    }
    const t0 = Math.min(...all.map((p) => p[0]));
    const t1 = Math.max(t0 + 60, ...all.map((p) => p[0]));
    let top = Math.max(...all.map((p) => p[1]), options.threshold ? options.threshold.value : 0);
    if (top <= 0) top = 1;
    const step = niceStep(top, 4);
    top = Math.ceil(top / step) * step;
    const x = (t) => m.left + ((t - t0) / (t1 - t0)) * plotW;
    const y = (v) => m.top + plotH - (v / top) * plotH;
    const format = options.format || compact;

    for (let v = 0; v <= top + step / 2; v += step) {
      root.appendChild(svg('line', { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v),
                                     class: 'gridline' }));
      root.appendChild(svg('text', { x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end',
                                     class: 'tick' }, format(v)));
    }
    const xTicks = 5;
    for (let i = 0; i <= xTicks; i += 1) {
      const t = t0 + ((t1 - t0) * i) / xTicks;
      root.appendChild(svg('line', { x1: x(t), x2: x(t), y1: m.top + plotH, y2: m.top + plotH + 4,
                                     class: 'axis' }));
      const anchor = i === 0 ? 'start' : i === xTicks ? 'end' : 'middle';
      root.appendChild(svg('text', { x: x(t), y: H - 8, 'text-anchor': anchor, class: 'tick' },
                           hhmm(t)));
    }
    root.appendChild(svg('text', { x: m.left - 8, y: H - 8, 'text-anchor': 'end',
                                   class: 'axis-title' }, 'UTC'));
    root.appendChild(svg('line', { x1: m.left, x2: m.left, y1: m.top, y2: m.top + plotH,
                                   class: 'axis' }));
    root.appendChild(svg('line', { x1: m.left, x2: W - m.right, y1: m.top + plotH,
                                   y2: m.top + plotH, class: 'axis' }));

    if (options.threshold) {
      const ty = y(options.threshold.value);
      root.appendChild(svg('line', { x1: m.left, x2: W - m.right, y1: ty, y2: ty,
                                     class: 'threshold' }));
      root.appendChild(svg('text', { x: W - m.right - 4, y: ty - 4, 'text-anchor': 'end',
                                     class: 'threshold-label' }, options.threshold.label));
    }
    for (const s of series) {
      const d = s.points.filter((p) => isNum(p[1]))
        .map((p, i) => (i === 0 ? 'M' : 'L') + x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1))
        .join(' ');
      if (d) root.appendChild(svg('path', { d, class: 'series', stroke: s.color }));
    }
  }

  function legend(series) {
    const box = el('div', { class: 'legend' });
    for (const s of series) {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = s.color;  // CSSOM, which the page's CSP allows
      box.appendChild(el('span', {}, [swatch, document.createTextNode(s.label)]));
    }
    return box;
  }

  // Bars of bytes per partition day, each labelled with its object count.
  function barChart(container, partitions) {
    const W = 560; const H = 180; const m = { left: 64, right: 10, top: 18, bottom: 26 };
    const plotW = W - m.left - m.right; const plotH = H - m.top - m.bottom;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img',
                              'aria-label': 'bytes per partition day' });
    container.replaceChildren(root);
    const rows = partitions.filter((p) => isNum(p.bytes));
    if (rows.length === 0) {
      root.appendChild(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' },
                           'nothing written yet'));
      return;
    }
    // Ticks at round numbers of the unit the largest bar is shown in (KiB, MiB, ...).
    let top = Math.max(1, ...rows.map((p) => p.bytes));
    const unit = Math.pow(1024, Math.max(0, Math.floor(Math.log(top) / Math.log(1024))));
    const step = niceStep(top / unit, 3) * unit;
    top = Math.ceil(top / step) * step;
    const y = (v) => m.top + plotH - (v / top) * plotH;
    for (let v = 0; v <= top + step / 2; v += step) {
      root.appendChild(svg('line', { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v),
                                     class: 'gridline' }));
      root.appendChild(svg('text', { x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end',
                                     class: 'tick' }, bytes(v)));
    }
    const slot = plotW / rows.length;
    const barW = Math.min(48, slot * 0.6);
    rows.forEach((p, i) => {
      const cx = m.left + slot * i + slot / 2;
      root.appendChild(svg('rect', { x: cx - barW / 2, y: y(p.bytes), width: barW,
                                     height: Math.max(1, m.top + plotH - y(p.bytes)), class: 'bar' },
                           undefined)).appendChild(svg('title', {}, `${p.ds}: ${p.objects} objects, ${bytes(p.bytes)}`));
      root.appendChild(svg('text', { x: cx, y: y(p.bytes) - 4, 'text-anchor': 'middle',
                                     class: 'bar-label' }, compact(p.objects)));
      if (rows.length <= 14 || i % Math.ceil(rows.length / 14) === 0) {
        root.appendChild(svg('text', { x: cx, y: H - 8, 'text-anchor': 'middle', class: 'tick' },
                             String(p.ds).slice(5)));
      }
    });
    root.appendChild(svg('line', { x1: m.left, x2: W - m.right, y1: m.top + plotH,
                                   y2: m.top + plotH, class: 'axis' }));
  }

  // ---- one domain's section ------------------------------------------------------------------

  function sectionFor(domain) {
    if (sections.has(domain)) return sections.get(domain);
    const root = document.getElementById('domain-template').content.firstElementChild
      .cloneNode(true);
    root.dataset.domain = domain;
    root.querySelector('.domain-name').textContent = domain;
    for (const node of root.querySelectorAll('[data-metric]')) node.dataset.domain = domain;
    const section = { root, domain, filter: {}, rendered: {}, openBatches: new Set() };
    root.querySelector('.dlq-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      section.filter = readFilter(event.target);
      refreshDeadLetters(section).catch((error) => dlqMessage(section, error.message, 'error'));
    });
    root.querySelector('.redrive-button').addEventListener('click', () => redrive(section));
    document.getElementById('domains').appendChild(root);
    sections.set(domain, section);
    return section;
  }

  function setMetric(section, name, value) {
    const node = section.root.querySelector(`[data-metric="${name}"]`);
    node.textContent = plain(value);
  }

  // The lake audit of `rawfeed gaps`: listing a big lake is expensive, so the daemon checks it in
  // the background at most every refresh_seconds; the note says how old the figure is.
  function gapsNote(gaps, generatedAt) {
    const age = (Date.parse(generatedAt) - Date.parse(gaps.checked_at)) / 1000;
    const ago = gaps.checked_at ? `checked ${duration(Math.max(0, age))} ago` : '';
    if (!gaps.checked_at) return gaps.checking ? 'checking the lake…' : 'not checked yet';
    if (gaps.error) return `check failed (${ago}): ${gaps.error}`;
    const symbols = `${plain(gaps.symbols_with_gaps)} of ${plain(gaps.symbols)} symbols`;
    return `${symbols} (${ago}${gaps.checking ? ', checking again' : ''})`;
  }

  function renderGaps(section, gaps, generatedAt) {
    const tile = section.root.querySelector('.kpi-gaps');
    tile.hidden = !gaps;
    if (!gaps) return;
    setMetric(section, 'gaps_missing_days',
              gaps.checked_at && !gaps.error ? gaps.missing_days : null);
    section.root.querySelector('.gaps-note').textContent = gapsNote(gaps, generatedAt);
    tile.dataset.nonzero = gaps.missing_days > 0 ? '1' : '0';
  }

  function renderStatus(section, status, generatedAt) {
    const queue = status.queue || {};
    const counters = status.counters || {};
    setMetric(section, 'queue_visible', queue.visible);
    setMetric(section, 'queue_in_flight', queue.in_flight);
    setMetric(section, 'dlq_depth', queue.dlq);
    setMetric(section, 'oldest_age_seconds', queue.oldest_age_seconds);
    setMetric(section, 'symbols_ok_total', counters.symbols_ok_total);
    setMetric(section, 'objects_written_total', counters.objects_written_total);
    section.root.querySelector('.kpi-dlq').dataset.nonzero = queue.dlq > 0 ? '1' : '0';
    // The governor in front of the source host: its pace, and a pause when the source said stop.
    const source = status.source || {};
    setMetric(section, 'source_rate',
              typeof source.rate === 'number' ? Math.round(source.rate * 10) / 10 : null);
    const pause = source.pause_remaining_seconds || 0;
    section.root.querySelector('.source-note').textContent = pause > 0
      ? `paused by source, ${Math.ceil(pause)} s left`
      : `${plain(source.refused_total)} refused (429), ${plain(source.in_flight_limit)} in flight`;
    section.root.querySelector('.kpi-source').dataset.nonzero = pause > 0 ? '1' : '0';
    renderGaps(section, status.gaps, generatedAt);

    const schedule = status.schedule || {};
    section.root.querySelector('.next-fire').textContent = utcTime(schedule.next_fire);
    section.root.querySelector('.sched-expr').textContent =
      schedule.expression ? `${schedule.expression} ${schedule.time_zone || ''}` : '';

    const alarms = section.root.querySelector('.alarms');
    alarms.replaceChildren(...(status.alarms || []).map((alarm) => {
      const state = String(alarm.state || 'INSUFFICIENT_DATA');
      const badge = el('span', { class: 'badge', 'data-alarm': alarm.name, 'data-domain': section.domain,
                                 'data-state': state,
                                 title: `${alarm.name}: value ${plain(alarm.value)}, threshold ` +
                                        `${plain(alarm.threshold)} over ${plain(alarm.period_seconds)} s` },
                         [el('span', { class: 'badge-name', text: alarm.name.replace(/_/g, ' ') }),
                          el('span', { class: 'badge-state', text: state })]);
      return badge;
    }));
  }

  function renderTimeseries(section, doc) {
    const points = (doc && doc.points) || [];
    const pick = (key) => points.map((p) => [p.t, p[key]]);
    const chart = (name) => section.root.querySelector(`[data-chart="${name}"]`);
    lineChart(chart('queue'), [
      { label: 'visible', color: COLORS.visible, points: pick('visible') },
      { label: 'in flight', color: COLORS.in_flight, points: pick('in_flight') },
      { label: 'delayed', color: COLORS.delayed, points: pick('delayed') },
      { label: 'DLQ', color: COLORS.dlq, points: pick('dlq') },
    ], { threshold: { value: 100, label: 'alarm ≥ 100' } });
    lineChart(chart('age'), [
      { label: 'oldest message age', color: COLORS.age, points: pick('oldest_age_seconds') },
    ], { threshold: { value: 300, label: 'alarm ≥ 300 s' } });
    lineChart(chart('throughput'), [
      { label: 'symbols / s', color: COLORS.throughput, points: pick('throughput_per_second') },
      { label: 'errors', color: COLORS.errors, points: pick('errors') },
    ], {});
    lineChart(chart('latency'), [
      { label: 'p50', color: COLORS.p50, points: pick('latency_p50_seconds') },
      { label: 'p95', color: COLORS.p95, points: pick('latency_p95_seconds') },
    ], { format: (v) => (v < 10 ? v.toFixed(2).replace(/0$/, '') : compact(v)) });
  }

  function emptyRow(columns, text) {
    return el('tr', { class: 'empty-row' }, [el('td', { colspan: String(columns), text })]);
  }

  // Tables are rebuilt only when their document changed, so an opened <details> stays open.
  function changed(section, key, doc) {
    const text = JSON.stringify(doc);
    if (section.rendered[key] === text) return false;
    section.rendered[key] = text;
    return true;
  }

  function renderLake(section, doc) {
    if (!changed(section, 'lake', doc)) return;
    const partitions = ((doc && doc.partitions) || []).slice()
      .sort((a, b) => String(a.ds).localeCompare(String(b.ds)));
    barChart(section.root.querySelector('[data-chart="lake"]'), partitions);
    const body = section.root.querySelector('.lake-table tbody');
    const rows = partitions.slice().reverse().map((p) => el('tr', { 'data-ds': p.ds }, [
      el('td', { class: 'mono', text: p.ds }),
      el('td', { class: 'num', text: plain(p.objects) }),
      el('td', { class: 'num', text: bytes(p.bytes), title: `${p.bytes} bytes` }),
    ]));
    body.replaceChildren(...(rows.length ? rows : [emptyRow(3, 'no partitions yet')]));
  }

  function batchDetails(section, batch) {
    const failed = batch.failed_symbols || [];
    const manifests = batch.manifest_keys || [];
    const details = el('details', {}, [
      el('summary', { text: `${failed.length} failed · ${manifests.length} manifest` +
                            (manifests.length === 1 ? '' : 's') }),
    ]);
    if (section.openBatches.has(batch.batch_id)) details.open = true;
    details.addEventListener('toggle', () => {
      if (details.open) section.openBatches.add(batch.batch_id);
      else section.openBatches.delete(batch.batch_id);
    });
    if (failed.length) {
      details.appendChild(el('ul', {}, failed.map((f) => el('li', {}, [
        el('span', { class: 'mono', text: f.symbol }),
        el('span', { class: 'reason', text: ' — ' + (f.reason || '') }),
      ]))));
    }
    if (manifests.length) {
      details.appendChild(el('ul', { class: 'mono' },
                             manifests.map((key) => el('li', { text: key }))));
    }
    return details;
  }

  function renderBatches(section, doc) {
    if (!changed(section, 'batches', doc)) return;
    const body = section.root.querySelector('.batches-table tbody');
    const rows = ((doc && doc.batches) || []).map((b) => el('tr', { 'data-batch': b.batch_id }, [
      el('td', { class: 'mono', text: b.batch_id, title: `${b.trigger_type || ''} ` +
                 `created ${utcTime(b.created_at)}, finished ${utcTime(b.finished_at)}` }),
      el('td', { class: 'mono', text: b.batch_ds || '—' }),
      el('td', {}, [el('span', { class: 'status', 'data-status': b.status || '',
                                 text: b.status || '—' })]),
      el('td', { class: 'num', text: plain(b.symbols) }),
      el('td', { class: 'num', text: `${plain(b.objects_written)}` +
                 (b.objects_skipped ? ` (+${b.objects_skipped} skipped)` : '') }),
      el('td', {}, [batchDetails(section, b)]),
    ]));
    body.replaceChildren(...(rows.length ? rows : [emptyRow(6, 'no batches yet')]));
  }

  function renderDeadLetters(section, doc) {
    if (!changed(section, 'dlq', doc)) return;
    const body = section.root.querySelector('.dlq-table tbody');
    const rows = ((doc && doc.messages) || []).map((msg) => el('tr', { 'data-message': msg.message_id }, [
      el('td', { class: 'mono', text: msg.message_id, title: `sent ${utcTime(msg.sent_at)}, ` +
                 `dead-lettered ${utcTime(msg.dead_lettered_at)}` }),
      el('td', { class: 'mono', text: msg.batch_id || '—' }),
      el('td', { class: 'num', text: plain(msg.chunk_index) }),
      el('td', { class: 'mono', text: (msg.symbols || []).join(' ') }),
      el('td', {}, [el('span', { class: 'class-tag', 'data-class': msg.error_class || '',
                                 text: msg.error_class || '—' })]),
      el('td', { class: 'num', text: plain(msg.receive_count) }),
      el('td', { class: 'num', text: duration(msg.age_seconds) }),
    ]));
    body.replaceChildren(...(rows.length ? rows : [emptyRow(7, 'the DLQ is empty')]));
  }

  // ---- DLQ filter and redrive ----------------------------------------------------------------

  function readFilter(form) {
    const filter = {};
    const symbol = form.elements.symbol.value.trim();
    const errorClass = form.elements.error_class.value;
    const minAge = form.elements.min_age_seconds.value;
    if (symbol) filter.symbol = symbol;
    if (errorClass) filter.error_class = errorClass;
    if (minAge !== '' && Number(minAge) >= 0) filter.min_age_seconds = Number(minAge);
    return filter;
  }

  function dlqUrl(section) {
    const query = new URLSearchParams({ limit: '100' });
    for (const [key, value] of Object.entries(section.filter)) query.set(key, String(value));
    return `/v1/domains/${encodeURIComponent(section.domain)}/dlq?${query}`;
  }

  async function refreshDeadLetters(section) {
    renderDeadLetters(section, await getJson(dlqUrl(section)));
  }

  function dlqMessage(section, text, kind) {
    const node = section.root.querySelector('.dlq-message');
    node.textContent = text;
    node.dataset.kind = kind || '';
  }

  async function postRedrive(section, dryRun) {
    const token = sessionStorage.getItem(TOKEN_KEY) || '';
    const response = await fetch(`/v1/domains/${encodeURIComponent(section.domain)}/dlq/redrive`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(Object.assign({}, section.filter, { dry_run: dryRun })),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const reason = (body && body.error) || `HTTP ${response.status}`;
      throw new Error(response.status === 401 ? `token refused: ${reason}` : reason);
    }
    return body;
  }

  // Dry run first, so the operator sees exactly which messages would move, then confirm.
  async function redrive(section) {
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      dlqMessage(section, 'Enter the API token at the top of the page first.', 'error');
      return;
    }
    const button = section.root.querySelector('.redrive-button');
    button.disabled = true;
    try {
      const plan = await postRedrive(section, true);
      if (!plan.matched) {
        dlqMessage(section, 'No dead letters match the filter; nothing to redrive.', 'ok');
        return;
      }
      if (!(await confirmRedrive(section, plan))) {
        dlqMessage(section, 'Redrive cancelled.', '');
        return;
      }
      const done = await postRedrive(section, false);
      dlqMessage(section, `Redrove ${done.redriven} of ${done.matched} matching messages.`, 'ok');
      section.rendered.dlq = null;
      await refreshDeadLetters(section);
    } catch (error) {
      dlqMessage(section, `Redrive failed: ${error.message}`, 'error');
    } finally {
      button.disabled = false;
    }
  }

  function confirmRedrive(section, plan) {
    const dialog = document.getElementById('confirm-dialog');
    const filter = Object.entries(section.filter).map(([k, v]) => `${k}=${v}`).join(', ');
    document.getElementById('confirm-title').textContent = `Redrive dead letters of ${section.domain}?`;
    document.getElementById('confirm-text').textContent =
      `${plan.matched} message${plan.matched === 1 ? '' : 's'} match` +
      (filter ? ` (${filter})` : ' (no filter: every dead letter)') +
      ' and will go back to the work queue.';
    document.getElementById('confirm-ids').replaceChildren(
      ...(plan.message_ids || []).slice(0, 50).map((id) => el('li', { text: id })));
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'),
                              { once: true });
      dialog.showModal();
    });
  }

  // ---- polling -------------------------------------------------------------------------------

  function connection(state, text) {
    document.getElementById('conn').dataset.state = state;
    document.getElementById('conn-text').textContent = text;
  }

  async function refreshDomain(section) {
    const base = `/v1/domains/${encodeURIComponent(section.domain)}`;
    const [series, batches, lake, dlq] = await Promise.all([
      getJson(`${base}/timeseries`), getJson(`${base}/batches?limit=10`),
      getJson(`${base}/lake`), getJson(dlqUrl(section)),
    ]);
    renderTimeseries(section, series);
    renderBatches(section, batches);
    renderLake(section, lake);
    renderDeadLetters(section, dlq);
    loaded.add(section.domain);
  }

  async function poll() {
    try {
      const status = await getJson('/v1/status');
      const domains = status.domains || [];
      const note = document.getElementById('empty-note');
      if (note && domains.length) note.remove();
      else if (note) note.textContent = 'No domains are configured.';
      const results = await Promise.allSettled(domains.map((d) => {
        const section = sectionFor(d.domain);
        renderStatus(section, d, status.generated_at);
        return refreshDomain(section);
      }));
      const failed = results.filter((r) => r.status === 'rejected');
      document.getElementById('updated-at').textContent = new Date().toISOString()
        .slice(11, 19) + ' UTC';
      if (failed.length) connection('error', `partial data: ${failed[0].reason.message}`);
      else connection('live', `live · every ${POLL_MS / 1000} s`);
      // For headless checks: every domain has shown live data at least once.
      if (domains.every((d) => loaded.has(d.domain))) document.body.dataset.ready = '1';
    } catch (error) {
      connection('error', `cannot reach the API: ${error.message}`);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  function setupToken() {
    const form = document.getElementById('token-form');
    const input = document.getElementById('token-input');
    const state = document.getElementById('token-state');
    const show = () => { state.textContent = sessionStorage.getItem(TOKEN_KEY) ? 'token set' : ''; };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (input.value) sessionStorage.setItem(TOKEN_KEY, input.value);
      else sessionStorage.removeItem(TOKEN_KEY);
      input.value = '';
      show();
    });
    show();
  }

  setupToken();
  poll();
})();
