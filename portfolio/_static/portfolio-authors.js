// Folded author lists (portfolio/papers/_render.py, authors_node): a list longer than
// portfolio_author_limit shows its first names and the owner's; its button unfolds the
// rest in place and folds them again.  Every name is in the page: without this script
// (and before it runs, since the class that folds is set in the page's head) the list is whole.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.portfolio-more");
  if (!button) return;
  const list = button.closest(".portfolio-authors");
  const open = list.classList.toggle("portfolio-unfolded");
  button.setAttribute("aria-expanded", String(open));
  button.textContent = open ? button.dataset.less : button.dataset.more;
});
