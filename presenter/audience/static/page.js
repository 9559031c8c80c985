// The audience page: follows the speaker's code and output from the update stream.
// Everything from the stream is put in with textContent, never as HTML, so code that
// contains a closing script tag or any markup shows as text. No inline handlers (the
// page's CSP forbids them), no network but this page's own stream and handout links.
(function () {
  "use strict";

  var token = location.pathname.split("/")[1];
  var base = "/" + token + "/";
  var $ = function (id) { return document.getElementById(id); };
  var codeBox = $("code"), outBox = $("out"), statusLine = $("status");
  var codeLines = [];    // the code's lines, each a list of [class, text] runs
  var outFirst = 0;      // number of the first line in outBox
  var outLines = [];     // plain text of each line in outBox, for Copy
  var maxOut = 500;
  var lastLine = -1;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function codeLineNode(runs) {
    var node = el("div", "ln");
    runs.forEach(function (run) {
      node.appendChild(run[0] ? el("span", run[0], run[1]) : document.createTextNode(run[1]));
    });
    return node;
  }

  // A code message replaces lines start..end (end -1: all of them) with its lines.
  function showCode(code) {
    if (!code) {
      codeLines = [];
      codeBox.textContent = "";
      $("file").textContent = "";
      return;
    }
    $("file").textContent = "· " + code.title;
    document.title = code.title + " · Presenter";
    var start = code.start, end = code.end;
    if (end < 0) {
      codeBox.textContent = "";
      codeLines = [];
      start = 0;
      end = 0;
    }
    for (var i = start; i < end && codeBox.children[start]; i++) {
      codeBox.removeChild(codeBox.children[start]);
    }
    var frag = document.createDocumentFragment();
    code.lines.forEach(function (runs) { frag.appendChild(codeLineNode(runs)); });
    codeBox.insertBefore(frag, codeBox.children[start] || null);
    codeLines = codeLines.slice(0, start).concat(code.lines, codeLines.slice(end));
    var old = codeBox.querySelector(".cur");
    if (old) { old.classList.remove("cur"); }
    var cur = codeBox.children[Math.min(code.line, codeBox.children.length - 1)];
    if (cur) { cur.classList.add("cur"); }
    if (cur && $("follow").checked && code.line !== lastLine) {
      var top = cur.offsetTop - codeBox.offsetTop, bottom = top + cur.offsetHeight;
      if (top < codeBox.scrollTop || bottom > codeBox.scrollTop + codeBox.clientHeight) {
        codeBox.scrollTop = Math.max(0, top - codeBox.clientHeight / 3);
      }
    }
    lastLine = code.line;
  }

  function codeText() {
    return codeLines.map(function (runs) {
      return runs.map(function (run) { return run[1]; }).join("");
    }).join("\n");
  }

  function lineNode(runs) {
    var node = el("div", "ln");
    var text = [];
    runs.forEach(function (run) {
      text.push(run[1]);
      node.appendChild(run[0] === "o" ? document.createTextNode(run[1]) : el("span", run[0], run[1]));
    });
    return { node: node, text: text.join("") };
  }

  function showOutput(out) {
    var atEnd = outBox.scrollTop + outBox.clientHeight >= outBox.scrollHeight - 4;
    var keep = out.start - outFirst;
    if (out.reset || keep < 0 || keep > outLines.length) {
      outBox.textContent = "";
      outLines = [];
      outFirst = out.start;
      keep = 0;
    }
    while (outLines.length > keep) {
      outBox.removeChild(outBox.lastChild);
      outLines.pop();
    }
    out.lines.forEach(function (runs) {
      var made = lineNode(runs);
      outBox.appendChild(made.node);
      outLines.push(made.text);
    });
    while (outLines.length > maxOut + 1) {
      outBox.removeChild(outBox.firstChild);
      outLines.shift();
      outFirst += 1;
    }
    if (atEnd) { outBox.scrollTop = outBox.scrollHeight; }
  }

  function showStep(demo) {
    var step = $("step");
    step.hidden = !demo;
    step.textContent = demo ? "Step " + demo.index + "/" + demo.count + (demo.title ? " · " + demo.title : "") : "";
  }

  function showHandout(handout) {
    $("handout").hidden = !handout;
    if (handout) {
      $("handout-html").href = base + handout.html;
      $("handout-md").href = base + handout.md;
    }
  }

  function apply(message) {
    if (message.max) { maxOut = message.max; }
    if ("code" in message) { showCode(message.code); }
    if ("out" in message) { showOutput(message.out); }
    if ("demo" in message) { showStep(message.demo); }
    if ("handout" in message) { showHandout(message.handout); }
  }

  // Copy: the Clipboard API where the page is a secure context (this computer), else the
  // older copy command on a hidden text area (a phone on the room's network: plain http).
  function copyWithCommand(text) {
    var area = el("textarea", "offscreen");
    area.value = text;
    area.setAttribute("readonly", "");
    document.body.appendChild(area);
    area.select();
    area.setSelectionRange(0, text.length);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    document.body.removeChild(area);
    return copied;
  }

  function copy(text, button) {
    var label = button.textContent;
    function done(copied) {
      button.textContent = copied ? "Copied" : "Select to copy";
      setTimeout(function () { button.textContent = label; }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); },
        function () { done(copyWithCommand(text)); });
    } else {
      done(copyWithCommand(text));
    }
  }

  $("copy-code").addEventListener("click", function () { copy(codeText(), $("copy-code")); });
  $("copy-out").addEventListener("click", function () { copy(outLines.join("\n"), $("copy-out")); });

  var stream = new EventSource(base + "events");
  stream.onopen = function () {
    statusLine.textContent = "Live";
    statusLine.className = "status live";
  };
  stream.onerror = function () {
    statusLine.textContent = "Not connected: the speaker may have stopped sharing. Retrying…";
    statusLine.className = "status down";
  };
  stream.onmessage = function (event) { apply(JSON.parse(event.data)); };
})();
