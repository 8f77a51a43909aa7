// After a vote, htmx swaps in the next statement; move focus to it so keyboard and screen-reader
// users carry on from there. Without JavaScript the form posts and the page reloads at #vote.
document.body.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id !== "vote-card" && !event.detail.elt?.closest?.("#vote-card")) return;
  const next = document.getElementById("statement-text") || document.getElementById("vote-card");
  if (next) {
    if (!next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
    next.focus();
  }
});
