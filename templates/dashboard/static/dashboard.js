// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

// A refused form: take the reader to the error summary first (GOV.UK pattern).
const summary = document.querySelector(".error-summary");
if (summary && document.activeElement !== summary) summary.focus();

// A browser that runs modules is one govuk-frontend supports; its components look for this
// class (GOV.UK sets it from an inline script, which this site's CSP does not allow).
document.body.classList.add("govuk-frontend-supported");
initAll(); // skip link, service navigation menu, error summary and banner focus

