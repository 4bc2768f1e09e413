// Loads the content-rule findings panel above an article's edit form.
// The script tag carries the URLs: data-edit-base (the article edit URL without its id)
// and data-findings-base (the findings URL without "<id>/findings/").
(function () {
  "use strict";
  var script = document.currentScript;
  var editBase = script.dataset.editBase, findingsBase = script.dataset.findingsBase;
  if (location.pathname.indexOf(editBase) !== 0) return;
  var pk = location.pathname.slice(editBase.length).split("/")[0];
  if (!/^\d+$/.test(pk)) return;
  fetch(findingsBase + pk + "/findings/", {credentials: "same-origin"}).then(function (response) {
    return response.ok ? response.text() : "";
  }).then(function (html) {
    var form = document.querySelector("form[data-edit-form]");
    if (!html || !form) return;
    var box = document.createElement("div");
    box.innerHTML = html;
    form.parentNode.insertBefore(box, form);
  });
})();
