// Client-side search over window.UAPI_DOCS_INDEX (search-index.js): names first, then words of the text.
(function () {
  'use strict';
  function ready(fn) { if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn); }
  function score(entry, terms) {
    var name = entry.n.toLowerCase();
    var text = (entry.s + ' ' + entry.t).toLowerCase();
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      if (name === t) total += 100;
      else if (name.indexOf(t) >= 0) total += 40;
      else if (name.replace(/_/g, ' ').indexOf(t.replace(/_/g, ' ')) >= 0) total += 30;
      else if (new RegExp('\\b' + t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).test(text)) total += 5;
      else return 0;
    }
    return total + (entry.k === 'ioctl' ? 2 : 0);
  }
  function search(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(function (t) { return t !== ''; });
    if (terms.length === 0) return [];
    var index = window.UAPI_DOCS_INDEX || [];
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], terms);
      if (s > 0) hits.push({ e: index[i], s: s, i: i });
    }
    hits.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    return hits.slice(0, 30).map(function (h) { return h.e; });
  }
  window.uapiDocsSearch = search;
  ready(function () {
    var input = document.getElementById('search');
    var list = document.getElementById('search-results');
    if (!input || !list) return;
    function show() {
      var hits = search(input.value);
      list.textContent = '';
      if (input.value.trim() === '') { list.hidden = true; return; }
      if (hits.length === 0) {
        var none = document.createElement('li');
        none.className = 'none';
        none.textContent = 'No results';
        list.appendChild(none);
      }
      hits.forEach(function (e) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = e.u;
        a.textContent = e.n;
        var kind = document.createElement('span');
        kind.className = 'kind';
        kind.textContent = e.k;
        a.appendChild(kind);
        if (e.s) {
          var sum = document.createElement('span');
          sum.className = 'sum';
          sum.textContent = e.s.length > 120 ? e.s.slice(0, 119) + '…' : e.s;
          a.appendChild(sum);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = false;
    }
    input.addEventListener('input', show);
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter') { var first = list.querySelector('a'); if (first) window.location.href = first.href; }
      if (ev.key === 'Escape') { input.value = ''; show(); }
    });
    var q = new URLSearchParams(window.location.search).get('q');
    if (q) { input.value = q; show(); }
  });
})();
