// The ballot's live meter: money left (approval), choices left (k-approval) or points left
// (cumulative). The form works without it; the server checks every ballot again.
const form = document.querySelector("form[data-ballot]");
const meter = form && form.querySelector("[data-meter]");
if (form && meter) {
  const kind = form.dataset.ballot;
  const budget = Number(form.dataset.budget);
  const pounds = (n) => "£" + n.toLocaleString("en-GB");
  const update = () => {
    let text;
    let over = false;
    if (kind === "cumulative") {
      const limit = Number(form.dataset.points);
      const used = [...form.querySelectorAll("[data-points-input]")]
        .reduce((sum, input) => sum + (Number(input.value) || 0), 0);
      over = used > limit;
      text = over ? `${used - limit} points too many` : `${limit - used} of ${limit} points left`;
    } else {
      const ticked = [...form.querySelectorAll("input[type=checkbox]:checked")];
      if (kind === "k_approval") {
        const limit = Number(form.dataset.maxChoices);
        over = ticked.length > limit;
        text = over ? `${ticked.length - limit} too many chosen` : `${limit - ticked.length} of ${limit} choices left`;
      } else {
        const spent = ticked.reduce((sum, box) => sum + Number(box.dataset.cost), 0);
        over = spent > budget;
        text = over ? `${pounds(spent - budget)} over the budget` : `${pounds(budget - spent)} of ${pounds(budget)} left`;
      }
    }
    meter.textContent = text;
    meter.classList.toggle("ps-meter--over", over);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  meter.hidden = false;
  update();
}
