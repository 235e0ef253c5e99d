// "Select the whole page" for the moderation table's bulk actions; without JavaScript each box is ticked by hand.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-select-all]");
  if (!all) return;
  const boxes = () => document.querySelectorAll('input[type=checkbox][name=report][form="bulk-actions"]');
  all.closest("label").hidden = false;
  all.addEventListener("change", () => boxes().forEach((box) => { box.checked = all.checked; }));
  document.addEventListener("change", (event) => {
    if (event.target.matches('input[name=report]')) {
      const list = [...boxes()];
      all.checked = list.every((box) => box.checked);
      all.indeterminate = !all.checked && list.some((box) => box.checked);
    }
  });
});
