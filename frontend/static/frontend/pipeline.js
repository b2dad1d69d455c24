// The pipeline board, enhanced: a "Move to …" button moves its card without a page load and
// keeps the keyboard on it; a card can also be dragged to another stage. Without this script the
// same buttons are plain forms and the server answers with the board again.

const board = document.querySelector("[data-board]");
const say = document.getElementById("board-status");
const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

function listFor(stage) {
  for (const section of document.querySelectorAll("section.stage")) {
    if (section.dataset.stage.split(" ").includes(stage)) return section;
  }
  return null;
}

function recount() {
  for (const section of document.querySelectorAll("section.stage")) {
    const count = section.querySelector("[data-count]");
    if (count) count.textContent = section.querySelectorAll("[data-cards] > li").length;
  }
}

async function move(card, stage) {
  const form = card.querySelector("form.moves");
  const body = new FormData(form);
  body.set("status", stage);
  let answer;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      credentials: "same-origin",
    });
    answer = await response.json();
    if (!response.ok) throw new Error((answer.problems || []).join(" ") || "Not moved.");
  } catch (error) {
    say.textContent = error.message || "Not moved: try again.";
    return;
  }
  const section = listFor(answer.status);
  if (section) section.querySelector("[data-cards]").prepend(card);
  card.dataset.stage = answer.status;
  for (const button of form.querySelectorAll("button[name=status]")) {
    button.hidden = button.value === answer.status;
  }
  recount();
  say.textContent = answer.message;
  card.focus();
}

if (board) {
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form.moves");
    if (!form || !event.submitter) return;
    event.preventDefault();
    move(form.closest("li"), event.submitter.value);
  });

  for (const card of document.querySelectorAll(".app-card")) {
    card.draggable = true;
    card.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", card.id);
      event.dataTransfer.effectAllowed = "move";
      card.classList.add("dragging");
    });
    card.addEventListener("dragend", () => card.classList.remove("dragging"));
  }

  // Only the board's columns take a drop: accepting an offer (which lands the client) or
  // withdrawing is a deliberate button press.
  for (const section of board.querySelectorAll("section.stage")) {
    const stage = section.dataset.stage;
    section.addEventListener("dragover", (event) => {
      event.preventDefault();
      section.classList.add("drop-here");
    });
    section.addEventListener("dragleave", () => section.classList.remove("drop-here"));
    section.addEventListener("drop", (event) => {
      event.preventDefault();
      section.classList.remove("drop-here");
      const card = document.getElementById(event.dataTransfer.getData("text/plain"));
      if (card && card.dataset.stage !== stage) move(card, stage);
    });
  }
}
