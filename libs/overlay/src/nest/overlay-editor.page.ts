// The overlay editor: one static page and one plain-JS script, embedded as strings so they ship
// inside the compiled package (no build step, no file lookup at runtime). The script holds the
// API key in sessionStorage only and talks to /api/overlays with it.

export const OVERLAY_EDITOR_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
  "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const OVERLAY_EDITOR_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Overlay editor</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f5f6f8; }
  header { background: #1d232a; color: #fff; padding: 10px 16px; font-weight: 600; }
  main { display: grid; grid-template-columns: minmax(360px, 1fr) minmax(320px, 1fr); gap: 16px; padding: 16px; }
  section { background: #fff; border: 1px solid #d8dce2; border-radius: 6px; padding: 12px 14px; margin-bottom: 16px; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  label { display: inline-block; margin: 4px 8px 4px 0; }
  input[type=text], input[type=password] { padding: 4px 6px; border: 1px solid #b9c0c9; border-radius: 4px; }
  textarea { width: 100%; box-sizing: border-box; font: 12px/1.4 ui-monospace, monospace; min-height: 110px; }
  button { padding: 4px 10px; border: 1px solid #8a94a1; border-radius: 4px; background: #fff; cursor: pointer; }
  button.primary { background: #2456c7; color: #fff; border-color: #2456c7; }
  ul#fields { list-style: none; padding: 0; margin: 0; }
  ul#fields li { display: flex; align-items: center; gap: 8px; padding: 6px; border: 1px solid #e1e4e8; border-radius: 4px; margin-bottom: 4px; background: #fafbfc; }
  ul#fields li.dragging { opacity: .4; }
  ul#fields li.over { border-color: #2456c7; }
  ul#fields li.hidden-field .label-input { text-decoration: line-through; color: #7a828c; }
  .handle { cursor: grab; user-select: none; color: #7a828c; }
  .name { font: 12px ui-monospace, monospace; color: #57606a; min-width: 90px; }
  pre { background: #0f1419; color: #e6e1cf; padding: 10px; border-radius: 4px; overflow: auto; font-size: 12px; min-height: 120px; }
  #status { min-height: 1.4em; }
  #status.error { color: #b3261e; }
  #status.ok { color: #1a7f37; }
</style>
</head>
<body>
<header>Overlay editor</header>
<main>
  <div>
    <section>
      <h2>1. API key</h2>
      <label>Tenant API key (admin scope) <input id="api-key" type="password" size="44" autocomplete="off"></label>
      <button id="save-key">Use key</button> <button id="forget-key">Forget</button>
      <div id="key-state"></div>
    </section>
    <section>
      <h2>2. Base spec</h2>
      <label>Capability <input id="capability" type="text" size="28" placeholder="billing.createOrder"></label>
      <button id="load-base">Load from server</button> <button id="load-demo">Demo spec</button>
      <p>Or paste <code>{ "capability", "fields": [{ "name", "label" }] }</code>:</p>
      <textarea id="base-json" spellcheck="false"></textarea>
      <button id="use-pasted">Use pasted JSON</button> <button id="save-base">Store as base spec</button>
    </section>
    <section>
      <h2>3. Overlay</h2>
      <label>Overlay id <input id="overlay-id" type="text" size="28"></label><br>
      <label>Role <input id="scope-role" type="text" size="10"></label>
      <label>User <input id="scope-user" type="text" size="10"></label>
      <label>Device <input id="scope-device" type="text" size="10"></label>
      <p>Toggle visibility, rename labels, reorder by dragging <span class="handle">&#x2630;</span> or with the arrows.</p>
      <ul id="fields"></ul>
      <p><button id="save-draft">Save draft</button> <button id="sign" class="primary">Save and sign</button></p>
      <div id="status" role="status"></div>
    </section>
  </div>
  <div>
    <section>
      <h2>Overlay preview (JSON)</h2>
      <pre id="preview">{}</pre>
    </section>
    <section>
      <h2>Server response</h2>
      <pre id="response"></pre>
    </section>
  </div>
</main>
<script src="/overlay-editor/editor.js"></script>
</body>
</html>
`;

export const OVERLAY_EDITOR_SCRIPT = String.raw`'use strict';
(function () {
  var KEY_STORAGE = 'lssm.overlayEditor.apiKey';
  var DEMO = {
    capability: 'billing.createOrder',
    fields: [
      { name: 'customer', label: 'Customer', type: 'string' },
      { name: 'amount', label: 'Amount', type: 'number', defaultValue: 0 },
      { name: 'currency', label: 'Currency', type: 'string' },
      { name: 'notes', label: 'Notes', type: 'string' }
    ]
  };
  var base = null; // the loaded base spec
  var rows = []; // [{ name, baseLabel, baseHidden, label, hidden }] in the edited order

  function $(id) { return document.getElementById(id); }
  function key() { return sessionStorage.getItem(KEY_STORAGE) || ''; }
  function status(text, kind) { var s = $('status'); s.textContent = text; s.className = kind || ''; }
  function showKeyState() { $('key-state').textContent = key() ? 'A key is set for this tab (session storage only).' : 'No key set.'; }

  function api(method, path, body) {
    var headers = { authorization: 'Bearer ' + key() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
          $('response').textContent = method + ' ' + path + ' -> ' + res.status + '\n' + JSON.stringify(data, null, 2);
          return { status: res.status, body: data };
        });
      });
  }
  function fail(res) {
    var msg = res.body && res.body.message ? res.body.message : 'HTTP ' + res.status;
    if (res.body && res.body.details) msg += ' (' + res.body.details.map(function (d) { return d.path + ': ' + d.message; }).join('; ') + ')';
    throw new Error(msg);
  }

  function loadBase(spec) {
    if (!spec || typeof spec.capability !== 'string' || !Array.isArray(spec.fields)) throw new Error('A base spec needs capability and fields');
    base = spec;
    $('capability').value = spec.capability;
    $('base-json').value = JSON.stringify(spec, null, 2);
    if (!$('overlay-id').value) $('overlay-id').value = spec.capability.replace(/[^A-Za-z0-9._:-]/g, '-') + '-overlay';
    rows = spec.fields.map(function (f) {
      return { name: f.name, baseLabel: f.label, baseHidden: f.hidden === true, label: f.label, hidden: f.hidden === true };
    });
    render();
    status('Loaded ' + spec.fields.length + ' fields of ' + spec.capability, 'ok');
  }

  function move(from, to) {
    if (to < 0 || to >= rows.length || from === to) return;
    var item = rows.splice(from, 1)[0];
    rows.splice(to, 0, item);
    render();
  }

  var dragFrom = -1;
  function render() {
    var list = $('fields');
    list.textContent = '';
    rows.forEach(function (row, i) {
      var li = document.createElement('li');
      li.draggable = true;
      li.dataset.field = row.name;
      li.dataset.testid = 'field-row';
      if (row.hidden) li.className = 'hidden-field';
      li.addEventListener('dragstart', function (e) { dragFrom = i; li.classList.add('dragging'); e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', row.name); });
      li.addEventListener('dragend', function () { li.classList.remove('dragging'); });
      li.addEventListener('dragover', function (e) { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; li.classList.add('over'); });
      li.addEventListener('dragleave', function () { li.classList.remove('over'); });
      li.addEventListener('drop', function (e) {
        e.preventDefault();
        var name = e.dataTransfer.getData('text/plain');
        var from = dragFrom >= 0 ? dragFrom : rows.findIndex(function (r) { return r.name === name; });
        dragFrom = -1;
        move(from, i);
      });

      var handle = document.createElement('span');
      handle.className = 'handle'; handle.textContent = '\u2630'; handle.title = 'Drag to reorder';
      var visible = document.createElement('input');
      visible.type = 'checkbox'; visible.checked = !row.hidden; visible.className = 'visible-toggle'; visible.title = 'Visible';
      visible.addEventListener('change', function () { row.hidden = !visible.checked; render(); });
      var name = document.createElement('span');
      name.className = 'name'; name.textContent = row.name;
      var label = document.createElement('input');
      label.type = 'text'; label.value = row.label; label.className = 'label-input';
      label.addEventListener('input', function () { row.label = label.value; preview(); });
      var up = document.createElement('button');
      up.textContent = '\u2191'; up.className = 'move-up'; up.title = 'Move up'; up.disabled = i === 0;
      up.addEventListener('click', function () { move(i, i - 1); });
      var down = document.createElement('button');
      down.textContent = '\u2193'; down.className = 'move-down'; down.title = 'Move down'; down.disabled = i === rows.length - 1;
      down.addEventListener('click', function () { move(i, i + 1); });
      [handle, visible, name, label, up, down].forEach(function (el) { li.appendChild(el); });
      list.appendChild(li);
    });
    preview();
  }

  function scope() {
    var s = {};
    if ($('scope-role').value.trim()) s.role = $('scope-role').value.trim();
    if ($('scope-user').value.trim()) s.userId = $('scope-user').value.trim();
    if ($('scope-device').value.trim()) s.device = $('scope-device').value.trim();
    return s;
  }

  // Only differences from the base spec become operations.
  function operations() {
    var ops = [];
    rows.forEach(function (r) {
      if (r.hidden && !r.baseHidden) ops.push({ type: 'hideField', field: r.name });
      if (!r.hidden && r.baseHidden) ops.push({ type: 'showField', field: r.name });
      if (r.label !== r.baseLabel) ops.push({ type: 'renameLabel', field: r.name, label: r.label });
    });
    var order = rows.map(function (r) { return r.name; });
    var baseOrder = base ? base.fields.map(function (f) { return f.name; }) : order;
    if (order.join('\u0000') !== baseOrder.join('\u0000')) ops.push({ type: 'reorderFields', fields: order });
    return ops;
  }

  function overlay() {
    return { overlayId: $('overlay-id').value.trim(), capability: base ? base.capability : $('capability').value.trim(), scope: scope(), operations: operations() };
  }
  function preview() { $('preview').textContent = JSON.stringify(overlay(), null, 2); }

  function saveDraft() {
    if (!key()) return Promise.reject(new Error('Enter an API key first'));
    if (!base) return Promise.reject(new Error('Load a base spec first'));
    var o = overlay();
    if (!o.overlayId) return Promise.reject(new Error('Enter an overlay id'));
    if (o.operations.length === 0) return Promise.reject(new Error('Change something first: an overlay needs at least one operation'));
    var path = '/api/overlays/' + encodeURIComponent(o.overlayId);
    return api('GET', path).then(function (res) {
      if (res.status === 200 && res.body.status === 'draft') {
        return api('PUT', path, { capability: o.capability, scope: o.scope, operations: o.operations });
      }
      if (res.status === 200 || res.status === 404) return api('POST', '/api/overlays', o);
      fail(res);
    }).then(function (res) {
      if (res.status !== 200 && res.status !== 201) fail(res);
      status('Saved draft version ' + res.body.version, 'ok');
      return res.body;
    });
  }

  function run(promise) { promise.catch(function (e) { status(e.message, 'error'); }); }

  $('save-key').addEventListener('click', function () {
    var value = $('api-key').value.trim();
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    $('api-key').value = '';
    showKeyState();
  });
  $('forget-key').addEventListener('click', function () { sessionStorage.removeItem(KEY_STORAGE); showKeyState(); });
  $('load-demo').addEventListener('click', function () { run(Promise.resolve().then(function () { loadBase(JSON.parse(JSON.stringify(DEMO))); })); });
  $('use-pasted').addEventListener('click', function () { run(Promise.resolve().then(function () { loadBase(JSON.parse($('base-json').value)); })); });
  $('load-base').addEventListener('click', function () {
    var capability = $('capability').value.trim();
    if (!capability) return status('Enter a capability', 'error');
    run(api('GET', '/api/overlays/base-specs/' + encodeURIComponent(capability)).then(function (res) {
      if (res.status !== 200) fail(res);
      loadBase(res.body.spec);
    }));
  });
  $('save-base').addEventListener('click', function () {
    run(Promise.resolve().then(function () {
      var spec = JSON.parse($('base-json').value);
      return api('PUT', '/api/overlays/base-specs/' + encodeURIComponent(spec.capability), { fields: spec.fields });
    }).then(function (res) {
      if (res.status !== 200) fail(res);
      loadBase(res.body.spec);
      status('Stored the base spec of ' + res.body.capability, 'ok');
    }));
  });
  ['overlay-id', 'scope-role', 'scope-user', 'scope-device'].forEach(function (id) { $(id).addEventListener('input', preview); });
  $('save-draft').addEventListener('click', function () { run(saveDraft()); });
  $('sign').addEventListener('click', function () {
    run(saveDraft().then(function (draft) {
      return api('POST', '/api/overlays/' + encodeURIComponent(draft.overlayId) + '/sign', { version: draft.version });
    }).then(function (res) {
      if (res.status !== 200) fail(res);
      status('Signed ' + res.body.overlayId + ' version ' + res.body.version + ' with key ' + res.body.keyId, 'ok');
    }));
  });
  showKeyState();
  preview();
})();
`;
