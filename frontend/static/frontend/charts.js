// Draws the charts whose data the page embeds with json_script. Each chart also has a table
// of its numbers on the page, so nothing depends on this script.
(function () {
  "use strict";
  const palette = ["#0b6b57", "#1f4e8c", "#8a4b00", "#a4161a", "#5b3f8c", "#3d6b1f", "#4f5866"];
  function draw() {
    if (typeof Chart === "undefined") return;
    const node = document.getElementById("charts-data");
    if (!node) return;
    const data = JSON.parse(node.textContent);
    const outreach = document.getElementById("chart-outreach");
    if (outreach && data.outreach) {
      new Chart(outreach, {
        type: "bar",
        data: {
          labels: data.outreach.labels,
          datasets: data.outreach.datasets.map((ds, i) => ({
            label: ds.label, data: ds.data, backgroundColor: palette[i % palette.length],
          })),
        },
        options: {
          maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    }
    const funnel = document.getElementById("chart-funnel");
    if (funnel && data.funnel) {
      new Chart(funnel, {
        type: "bar",
        data: {
          labels: data.funnel.labels,
          datasets: [{ label: "Introductions", data: data.funnel.counts, backgroundColor: palette[0] }],
        },
        options: {
          indexAxis: "y", maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
