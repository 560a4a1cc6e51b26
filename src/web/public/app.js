// The workshop page: the talk's iterations in order, a form per run (the command line's options),
// and the run as it happens, from the server's event stream (server-sent events). Plain JavaScript,
// served as is; Chart.js comes from the installed package (see index.html).
import { comparisonChart, formatBytes, latencyChart, loopChart, pidColour, sweepChart, withAlpha } from './charts.js';

const token = new URLSearchParams(window.location.search).get('token');
const $ = (id) => document.getElementById(id);

/** What tests and curious presenters can read: counts of what arrived and was drawn. */
const stats = { requests: 0, importsStarted: 0, importsEnded: 0, loopSamples: 0, sweepPoints: 0, runsEnded: 0, phase: null, state: null };
window.workshop = { stats };

let catalog;
let selected = null; // { kind: 'scenario', id } | { kind: 'sweep' }
let current = null; // the RunInfo of the run shown in the live panel
let running = false;
const finishedRows = new Map(); // runId -> ComparisonRow

// ---- the live view of one scenario run -------------------------------------------------------
const view = {
  importWindows: [],
  phaseMarks: [],
  plannedEndMs: 0,
  lastEventMs: 0,
  // Run clock = page clock - offset; the offset is learnt from events stamped as they happened.
  clockOffsetMs: null,
  ended: false,
  nowMs() {
    if (this.ended || this.clockOffsetMs === null) return this.lastEventMs;
    return Math.max(this.lastEventMs, performance.now() - this.clockOffsetMs);
  },
  xMaxS() {
    return Math.max(5, Math.ceil(Math.max(this.plannedEndMs, this.nowMs()) / 1000));
  },
};
const pidSeries = new Map(); // pid -> { requests: dataset, loop: dataset }
const latency = latencyChart($('latency-chart'), view);
const loop = loopChart($('loop-chart'), view, 500);
const sweep = sweepChart($('sweep-chart'));
const comparison = comparisonChart($('comparison-chart'));
window.workshop.charts = { latency, loop, sweep, comparison };
window.workshop.view = view;

let redrawQueued = false;
function redraw() {
  if (redrawQueued) return;
  redrawQueued = true;
  setTimeout(() => {
    redrawQueued = false;
    for (const chart of [latency, loop]) {
      chart.options.scales.x.max = view.xMaxS();
      chart.update('none');
    }
    sweep.update('none');
  }, 150);
}
// While a run goes, time moves on even when nothing arrives (a frozen server answers nothing).
setInterval(() => {
  if (running && current?.kind === 'scenario') redraw();
}, 500);

function seriesOf(pid) {
  const key = pid === null ? 'unknown' : String(pid);
  let series = pidSeries.get(key);
  if (!series) {
    const scenario = catalog.scenarios.find((s) => s.id === current?.target);
    const colour = pidColour(pidSeries.size, scenario?.colour ?? '#555555');
    const label = pid === null ? 'pid unknown' : `pid ${pid}`;
    series = {
      requests: { label, data: [], backgroundColor: colour, borderColor: colour, pointRadius: 2.5 },
      loop: { label, data: [], borderColor: colour, backgroundColor: colour, pointRadius: 0, borderWidth: 2, stepped: false },
    };
    pidSeries.set(key, series);
    latency.data.datasets.push(series.requests);
    loop.data.datasets.push(series.loop);
  }
  return series;
}

function resetLiveView(run) {
  current = run;
  view.importWindows = [];
  view.phaseMarks = [];
  view.plannedEndMs = 0;
  view.lastEventMs = 0;
  view.clockOffsetMs = null;
  view.ended = false;
  pidSeries.clear();
  latency.data.datasets = [];
  loop.data.datasets = [];
  sweep.data.datasets = [];
  sweep.$failures.length = 0;
  $('sweep-points').replaceChildren();
  Object.assign(stats, { requests: 0, importsStarted: 0, importsEnded: 0, loopSamples: 0, sweepPoints: 0, phase: null, state: 'running' });
  const isSweep = run.kind === 'sweep';
  $('scenario-view').hidden = isSweep;
  $('sweep-view').hidden = !isSweep;
  $('live-title').textContent = isSweep ? `Sweep (run ${run.runId})` : `${run.target} (run ${run.runId})`;
  $('summary').textContent = 'Running… the summary appears when the run ends.';
  setStatus(`started ${new Date(run.startedAt).toLocaleTimeString()}; results file ${run.resultFile}`);
  redraw();
}

/** Below this a delay is drawn as a plain sample: the poll interval is too coarse to place a ramp. */
const RAMP_MIN_MS = 250;

const PHASE_LABELS = {
  starting: 'starting the server',
  warmup: 'warm-up',
  baseline: 'baseline (light traffic only)',
  underLoad: 'during imports',
  capacityIdle: 'capacity, idle (closed loop)',
  capacityImports: 'capacity, imports back to back',
  stopping: 'stopping',
};

function setStatus(text) {
  $('live-status').textContent = text;
}

/** Events stamped when they happened (not light requests, stamped at their send time) set the clock. */
function learnClock(tMs) {
  const offset = performance.now() - tMs;
  if (view.clockOffsetMs === null || offset < view.clockOffsetMs) view.clockOffsetMs = offset;
}

function onScenarioEvent(e) {
  view.lastEventMs = Math.max(view.lastEventMs, e.tMs ?? 0);
  switch (e.type) {
    case 'phase':
      learnClock(e.tMs);
      stats.phase = e.phase;
      if (e.phase !== 'starting' && e.phase !== 'stopping') view.phaseMarks.push({ tMs: e.tMs, label: PHASE_LABELS[e.phase] ?? e.phase });
      if (e.phase === 'warmup') {
        // The planned end, to size the time axis: two phases of --duration after the warm-up.
        const args = current?.args ?? [];
        const given = args.includes('--duration') ? Number(args[args.indexOf('--duration') + 1]) : NaN;
        const fallback = Number(catalog.scenarioOptions.find((o) => o.name === 'duration')?.default ?? 15);
        const phaseMs = (Number.isFinite(given) ? given : fallback) * 1000;
        view.plannedEndMs = e.tMs + (e.durationMs ?? 0) + 2 * phaseMs;
      }
      if (e.durationMs !== undefined && e.phase !== 'warmup') {
        const phasesLeft = { baseline: 2, underLoad: 1, capacityIdle: 2, capacityImports: 1 }[e.phase] ?? 1;
        view.plannedEndMs = Math.max(view.plannedEndMs, e.tMs + e.durationMs * phasesLeft);
      }
      setStatus(`${PHASE_LABELS[e.phase] ?? e.phase}${e.pids ? ` · serving pids ${e.pids.join(', ')}` : ''}${e.baseUrl ? ` · ${e.baseUrl}` : ''}`);
      break;
    case 'request':
      if (e.phase === 'warmup') return; // not recorded by the run either
      seriesOf(e.pid).requests.data.push({ x: e.tMs / 1000, y: Math.max(e.latencyMs, 0.1) });
      stats.requests += 1;
      break;
    case 'import-start':
      learnClock(e.tMs);
      view.importWindows.push({ index: e.index, startMs: e.tMs, endMs: null, ok: null });
      stats.importsStarted += 1;
      setStatus(`import #${e.index + 1} running`);
      break;
    case 'import-end': {
      learnClock(e.tMs);
      // With --concurrency imports overlap: the open window is the one this import (by its index) started.
      const w = view.importWindows.findLast((x) => x.index === e.index && x.endMs === null);
      if (w) Object.assign(w, { endMs: e.tMs, ok: e.ok });
      stats.importsEnded += 1;
      setStatus(`import #${e.index + 1} ${e.ok ? `done in ${(e.durationMs / 1000).toFixed(2)} s` : `FAILED: ${e.error ?? ''}`}`);
      break;
    }
    case 'loop-delay': {
      learnClock(e.tMs);
      const data = seriesOf(e.pid).loop.data;
      // A loop that answers D ms late at t was blocked since t - D: its lateness grew from 0 then to
      // D. Draw that ramp, rather than a line from the sample before the block, which would suggest
      // the delay crept up. Later samples in the same window repeat D (the longest in the window).
      const rampStartS = (e.tMs - e.delayMs) / 1000;
      const lastS = data.at(-1)?.x ?? -Infinity;
      if (e.delayMs >= RAMP_MIN_MS && rampStartS > lastS) data.push({ x: rampStartS, y: 0 });
      data.push({ x: e.tMs / 1000, y: e.delayMs });
      stats.loopSamples += 1;
      break;
    }
    default:
      return;
  }
  redraw();
}

/** One measured point in words: the warm median with its spread and sample count, the cold first exchange. */
function describePoint(transport, p) {
  const at = `${transport} at ${formatBytes(p.sizeBytes)}`;
  if (p.state !== 'ok') return `${at}: ${p.state}${p.error ? ` (${p.error})` : ''}`;
  const ms = (v) => (v >= 10 ? v.toFixed(0) : v.toPrecision(2));
  const rt = p.roundTripMs;
  const spread = rt.p10 !== undefined ? ` (p10-p90 ${ms(rt.p10)}-${ms(rt.p90)})` : '';
  const samples = p.samples !== undefined ? ` over ${p.samples} samples` : '';
  const cold = typeof p.firstRoundTripMs === 'number' ? `, cold first ${ms(p.firstRoundTripMs)} ms` : '';
  return `${at}: ${p.mbPerS.toPrecision(3)} MB/s, warm round trip ${ms(rt.median)} ms${spread}${samples}${cold}${p.noisy ? ' (noisy)' : ''}`;
}

function onSweepEvent(e) {
  // Each point: a fresh peer's cold first exchange, unrecorded warm-up, then timed samples, on that
  // peer or (small sizes) on one kept per transport; the transports of a size take turns, so the
  // exchanges of several points interleave (the sweep forwards a few of them, each naming its
  // transport and size: enough to say where it is).
  if (e.type === 'point-start') {
    setStatus(`measuring ${e.transport} at ${formatBytes(e.sizeBytes)}: starting a fresh peer for the cold first exchange`);
    return;
  }
  if (e.type === 'exchange') {
    const doing = e.phase === 'cold' ? 'the cold first exchange' : e.phase === 'warm-up' ? 'warming up (not recorded)' : `${e.samples} samples so far`;
    setStatus(`measuring ${e.transport} at ${formatBytes(e.sizeBytes)}: ${doing}`);
    return;
  }
  if (e.type !== 'point-done') return;
  const described = describePoint(e.transport, e.point);
  setStatus(described);
  const item = document.createElement('li');
  item.textContent = described;
  $('sweep-points').append(item);
  const colour = catalog.sweep.transports.find((t) => t.id === e.transport)?.colour ?? '#555555';
  let dataset = sweep.data.datasets.find((d) => d.label === e.transport);
  if (!dataset) {
    dataset = { label: e.transport, data: [], borderColor: colour, backgroundColor: colour, pointRadius: 4, borderWidth: e.transport === 'raw-socket' ? 4 : 2, borderDash: e.transport === 'raw-socket' ? [10, 5] : [] };
    sweep.data.datasets.push(dataset);
  }
  const p = e.point;
  if (p.state === 'ok' && p.mbPerS > 0) dataset.data.push({ x: p.sizeBytes, y: p.mbPerS });
  else if (p.state !== 'skipped') sweep.$failures.push({ sizeBytes: p.sizeBytes, y: dataset.data.at(-1)?.y ?? 1, state: p.state, colour });
  stats.sweepPoints += 1;
  redraw();
}

function onRunEnded(run, outcome) {
  running = false;
  stats.runsEnded += 1;
  stats.state = outcome.state;
  view.ended = true;
  if (current?.runId === run.runId) {
    $('summary').textContent = outcome.summaryText || '(the command printed nothing)';
    setStatus(`${outcome.state}${outcome.exitCode !== null ? ` (exit code ${outcome.exitCode})` : ''} · results file ${run.resultFile}`);
  }
  if (outcome.row) finishedRows.set(outcome.row.runId, outcome.row);
  renderComparison();
  updateButtons();
  redraw();
}

function onWire(event) {
  if (event.type === 'run-started') {
    running = true;
    resetLiveView(event.run);
    updateButtons();
  } else if (event.type === 'run-event') {
    if (current?.runId !== event.runId) return;
    if (current.kind === 'sweep') onSweepEvent(event.event);
    else onScenarioEvent(event.event);
  } else if (event.type === 'run-ended') {
    onRunEnded(event.run, event.outcome);
  }
}

// ---- the session's comparison ----------------------------------------------------------------
const ms = (v) => (v === null || v === undefined ? '–' : v >= 100 ? `${Math.round(v)} ms` : `${v.toPrecision(3)} ms`);
const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);

function renderComparison() {
  const rows = [...finishedRows.values()];
  const body = $('comparison').querySelector('tbody');
  body.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      const colour = catalog.scenarios.find((s) => s.id === r.scenario)?.colour ?? '#555555';
      const cells = [r.scenario, r.runId, r.state === 'completed' ? 'completed' : `errored: ${r.error ?? ''}`, ms(r.baselineP99Ms), `${ms(r.underLoadP50Ms)} / ${ms(r.underLoadP99Ms)}`, ms(r.maxStallMs), pct(r.slowShare), `${r.importsOk} / ${r.importsTotal}`, ms(r.maxLoopDelayMs)];
      cells.forEach((text, i) => {
        const td = document.createElement('td');
        if (i === 0) {
          const swatch = document.createElement('span');
          swatch.className = 'swatch';
          swatch.style.background = colour;
          td.append(swatch);
        }
        td.append(text);
        tr.append(td);
      });
      return tr;
    }),
  );
  $('comparison-chart').parentElement.hidden = rows.length === 0;
  const colours = rows.map((r) => catalog.scenarios.find((s) => s.id === r.scenario)?.colour ?? '#555555');
  comparison.data.labels = rows.map((r, i) => `${i + 1}. ${r.scenario}`);
  comparison.data.datasets = [
    { label: 'baseline', data: rows.map((r) => r.baselineP99Ms), backgroundColor: colours.map((c) => withAlpha(c, 0.35)), borderColor: colours, borderWidth: 1 },
    { label: 'during imports', data: rows.map((r) => r.underLoadP99Ms), backgroundColor: colours, borderColor: colours, borderWidth: 1 },
  ];
  comparison.options.plugins.legend = {
    labels: { generateLabels: () => [0.35, 1].map((alpha, i) => ({ text: i === 0 ? 'baseline' : 'during imports', fillStyle: withAlpha('#555555', alpha), strokeStyle: '#555555', lineWidth: 1, datasetIndex: i, hidden: false })) },
  };
  comparison.update('none');
}

// ---- choosing and starting runs --------------------------------------------------------------
function stepButton(label, colour, choice) {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.dataset.choice = choice.kind === 'sweep' ? 'sweep' : choice.id;
  button.style.setProperty('--colour', colour);
  button.addEventListener('click', () => select(choice));
  li.append(button);
  return li;
}

function optionsFor(choice) {
  if (choice.kind === 'sweep') return catalog.sweep.options;
  return catalog.scenarioOptions.filter((o) => !o.only || o.only.includes(choice.id));
}

function select(choice) {
  selected = choice;
  for (const b of document.querySelectorAll('nav button')) b.setAttribute('aria-current', String(b.dataset.choice === (choice.kind === 'sweep' ? 'sweep' : choice.id)));
  if (choice.kind === 'sweep') {
    $('step-title').textContent = 'The message-size sweep';
    $('step-story').textContent =
      'Every transport moves payloads of growing size to a child and back: MB/s, where each slows down, and where it breaks ' +
      '(the talk\'s "8-20k" and "64k" claims). Points appear as they are measured.';
  } else {
    const s = catalog.scenarios.find((x) => x.id === choice.id);
    $('step-title').textContent = `${inTalk(s) ? `${s.talkIteration}. ` : ''}${s.id}: ${s.title}`;
    $('step-story').textContent = s.story;
  }
  const form = $('step-form');
  form.replaceChildren(
    ...optionsFor(choice).map((o) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.name = o.name;
      input.title = o.describe;
      const initial = o.pageDefault ?? o.default;
      if (o.kind === 'boolean') {
        input.type = 'checkbox';
        input.checked = initial === 'true';
        label.className = 'check';
        label.append(input, `--${o.name}`);
      } else {
        input.type = 'text';
        input.value = initial;
        input.placeholder = o.default === '' ? 'default' : o.default;
        if (o.kind === 'text') input.className = 'wide';
        label.append(`--${o.name}`, input);
      }
      input.addEventListener('input', showCommand);
      return label;
    }),
  );
  showCommand();
  setMessage('');
}

/** The form's values that differ from the command's defaults, as the page sends them. */
function formOptions() {
  const options = {};
  for (const o of optionsFor(selected)) {
    const input = $('step-form').elements.namedItem(o.name);
    if (o.kind === 'boolean') {
      if (input.checked !== (o.default === 'true')) options[o.name] = input.checked;
    } else if (input.value.trim() !== '' && input.value.trim() !== o.default) {
      options[o.name] = input.value.trim();
    }
  }
  return options;
}

function showCommand() {
  const options = formOptions();
  const args = Object.entries(options).flatMap(([name, value]) => (value === true ? [`--${name}`] : value === false ? [] : [`--${name}`, value]));
  const base = selected.kind === 'sweep' ? 'npm run sweep' : `npm run scenario ${selected.id}`;
  $('step-command').textContent = `${base}${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
}

function setMessage(text, isError = false) {
  $('message').textContent = text;
  $('message').className = isError ? 'error' : '';
}

function updateButtons() {
  const canControl = catalog?.mode === 'workshop' && token !== null;
  $('start').disabled = !canControl || running || selected === null;
  $('stop').disabled = token === null || !running;
}

async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-workshop-token': token ?? '' },
    body: JSON.stringify(body ?? {}),
  });
  const reply = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, reply };
}

$('start').addEventListener('click', async () => {
  const body = selected.kind === 'sweep' ? { kind: 'sweep', options: formOptions() } : { kind: 'scenario', scenario: selected.id, options: formOptions() };
  $('start').disabled = true;
  const { ok, reply } = await post('/api/runs', body);
  if (ok) setMessage(`started run ${reply.run.runId}`);
  else setMessage(reply.error ?? 'refused', true);
  updateButtons();
});

$('stop').addEventListener('click', async () => {
  const { ok, reply } = await post('/api/stop');
  setMessage(ok ? 'stopping: the run cleans up and still writes its results file' : (reply.error ?? 'refused'), !ok);
});

/** The talk's six iterations; scenarios beyond it (worker-pool, queue) have no iteration number. */
function inTalk(scenario) {
  return typeof scenario.talkIteration === 'number' && scenario.talkIteration <= 6;
}

// ---- start-up --------------------------------------------------------------------------------
async function main() {
  catalog = await (await fetch('/api/catalog')).json();
  const talk = catalog.scenarios.filter(inTalk);
  const beyond = catalog.scenarios.filter((s) => !inTalk(s));
  $('steps-talk').replaceChildren(...talk.map((s) => stepButton(`${s.talkIteration}. ${s.id}`, s.colour, { kind: 'scenario', id: s.id })));
  $('steps-beyond').replaceChildren(...beyond.map((s) => stepButton(s.id, s.colour, { kind: 'scenario', id: s.id })));
  $('beyond-heading').hidden = beyond.length === 0;
  if (catalog.mode === 'workshop') $('steps-sweep').replaceChildren(stepButton('the sweep', '#222222', { kind: 'sweep' }));
  $('access').textContent =
    catalog.mode === 'live'
      ? 'live view of one command-line run'
      : token === null
        ? 'read-only: open the URL the workshop printed (it carries the token) to start runs'
        : '';
  if (catalog.mode === 'live') document.body.classList.add('live-mode');
  else select({ kind: 'scenario', id: talk[0]?.id ?? catalog.scenarios[0].id });

  const state = await (await fetch('/api/state')).json();
  for (const f of state.finished) if (f.outcome.row) finishedRows.set(f.outcome.row.runId, f.outcome.row);
  renderComparison();
  updateButtons();

  const events = new EventSource('/api/events');
  events.onopen = () => {
    $('connection').textContent = 'live';
    $('connection').className = 'badge live';
  };
  events.onerror = () => {
    $('connection').textContent = 'reconnecting…';
    $('connection').className = 'badge lost';
  };
  events.onmessage = (message) => {
    for (const event of JSON.parse(message.data)) onWire(event);
  };
}

main().catch((error) => setMessage(`the page could not start: ${error.message}`, true));
