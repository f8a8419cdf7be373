// @ts-check
// The fuzz worker: a child process that runs cases through the generator's own entry points (generator/dist)
// and reports what happened, nothing more. The parent judges the outcome and kills this process when a case
// runs past its time bound. Plain JavaScript: it runs as it is, from test/fuzz or compiled next to the runner.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = process.cwd();
/** @param {string} path */
const load = (path) => import(pathToFileURL(join(root, 'generator/dist', path)).href);
const [{ loadModel }, { modelJson }, { renderOne }, { HeaderError, HeaderErrors }, { targetNamed }] = await Promise.all([
  load('load.js'),
  load('model/json.js'),
  load('generate.js'),
  load('diagnostics.js'),
  load('model/target.js'),
]);

/** @param {any} d a KernelDoc or null */
const docText = (d) => d && { target: d.target, summary: d.summary, description: d.description, members: d.members.map((/** @type {any} */ m) => [m.name, m.text]) };

/** @param {any} model */
function docsOf(model) {
  return {
    records: model.records.map((/** @type {any} */ r) => [r.name, docText(r.doc), r.fields.map((/** @type {any} */ f) => f.doc)]),
    enums: model.enums.map((/** @type {any} */ e) => [e.name, docText(e.doc), e.values.map((/** @type {any} */ v) => v.doc)]),
    sections: model.docs.map((/** @type {any} */ s) => [s.title, docText(s.doc)]),
  };
}

/** @param {unknown} e @param {string} stage */
function failure(e, stage) {
  if (e instanceof HeaderError || e instanceof HeaderErrors) {
    const errors = e instanceof HeaderErrors ? /** @type {any} */ (e).errors : [e];
    return { kind: 'header-error', stage, errors: errors.map((/** @type {any} */ x) => ({ ...x.loc, reason: x.reason })) };
  }
  const err = /** @type {Error} */ (e);
  return { kind: 'crash', stage, name: err?.name ?? typeof e, message: String(err?.message ?? e), stack: String(err?.stack ?? '') };
}

// Text the rendered output must never hold: a view object put where a string belongs.
const BROKEN = /\[object Object\]/;

/** @param {{ header: string, includeDirs: string[], hints?: string, targets?: string[], render: boolean }} req */
function runCase(req) {
  let model;
  try {
    model = loadModel(req.header, { includeDirs: req.includeDirs, profileFile: req.hints });
  } catch (e) {
    return failure(e, 'model');
  }
  const out = { kind: 'ok', json: modelJson(model), docs: docsOf(model), files: 0, broken: /** @type {string[]} */ ([]) };
  if (!req.render) return out;
  try {
    // The package's own targets where its config names them (kvm: x86_64, the asm/ headers/ holds).
    const targets = req.targets?.map((t) => targetNamed(t));
    const r = renderOne({ name: 'fuzz', header: req.header, includeDirs: req.includeDirs, profile: req.hints, targets, out: 'fuzz-out', version: '0.0.0', kernel: null });
    out.files = r.files.length;
    out.broken = r.files.filter((/** @type {any} */ f) => BROKEN.test(f.text)).map((/** @type {any} */ f) => f.path);
  } catch (e) {
    return failure(e, 'render');
  }
  return out;
}

process.on('message', (/** @type {any} */ msg) => {
  process.send?.({ id: msg.id, outcome: runCase(msg.req) });
});
process.send?.({ ready: true });
