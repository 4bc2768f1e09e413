// Loads the content-rule findings panel above an article's edit form.
// The script tag carries the URLs: data-edit-base (the article edit URL without its id)
// and data-findings-base (the findings URL without "<id>/findings/").
// While a picture's text is being read by the worker (data-reading > 0), the panel asks again
// every few seconds and replaces itself, until the reading is done.
(function () {
  "use strict";
  var script = document.currentScript;
  var editBase = script.dataset.editBase, findingsBase = script.dataset.findingsBase;
  if (location.pathname.indexOf(editBase) !== 0) return;
  var pk = location.pathname.slice(editBase.length).split("/")[0];
  if (!/^\d+$/.test(pk)) return;
  var box = null;

  function load(wasReading) {
    var url = findingsBase + pk + "/findings/" + (wasReading ? "?was_reading=1" : "");
    fetch(url, {credentials: "same-origin"}).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      var form = document.querySelector("form[data-edit-form]");
      if (!html || !form) return;
      if (!box) {
        box = document.createElement("div");
        form.parentNode.insertBefore(box, form);
      }
      box.innerHTML = html;
      var panel = box.querySelector("#wxops-findings");
      if (panel && Number(panel.dataset.reading) > 0) setTimeout(function () { load(true); }, 3000);
    });
  }
  load(false);
})();
