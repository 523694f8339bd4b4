// Progressive enhancement only: every page works without this file.
// A refused form: take the reader to the error summary first (GOV.UK pattern).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
