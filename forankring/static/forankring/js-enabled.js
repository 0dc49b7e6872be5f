// Loaded without `defer`, before the page is first drawn: marks the page as one where the design
// system's scripts will run, so app.css can lay the phone menu out as those scripts will leave it
// (one line with "Mere") from the start, instead of wrapped as it is without JavaScript. Without
// this, the header shrank when the scripts ran and moved the whole page (layout shift).
document.documentElement.classList.add("js");
