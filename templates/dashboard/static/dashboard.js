// Progressive enhancement only: every page works without this file.
import { initAll, isSupported } from "/static/govuk/govuk-frontend.min.js";

if (isSupported()) {
  document.body.classList.add("govuk-frontend-supported");
  initAll(); // skip link, service navigation menu, error summary focus (GOV.UK components)
}
// A refused form: take the reader to the error summary first (GOV.UK pattern).
const summary = document.querySelector(".error-summary");
if (summary && document.activeElement !== summary) summary.focus();
