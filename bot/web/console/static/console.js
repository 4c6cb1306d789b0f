// The console's little JavaScript: confirmations, and live delivery status of a broadcast. Pages work without it.
"use strict";
document.addEventListener("submit", (ev) => {
  const question = ev.target.dataset.confirm;
  if (question && !window.confirm(question)) ev.preventDefault();
});

async function refreshDeliveries(table) {
  const resp = await fetch(table.dataset.url, { headers: { Accept: "application/json" } });
  if (!resp.ok) return;
  const data = await resp.json();
  for (const row of data.deliveries) {
    const cell = table.querySelector(`[data-delivery="${row.id}"]`);
    if (cell) { cell.textContent = row.state + (row.error ? `（${row.error}）` : ""); cell.className = `status-${row.status}`; }
  }
  const summary = document.getElementById("delivery-summary");
  if (summary) summary.textContent = data.summary;
  return data.pending;
}

window.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("deliveries");
  if (!table) return;
  const tick = async () => { const pending = await refreshDeliveries(table); if (pending) setTimeout(tick, 2000); };
  setTimeout(tick, 1000);
});
