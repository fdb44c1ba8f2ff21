// The calibration page's only behaviour: show what was typed, and a status line like the explorer's.
const input = document.getElementById('search-input');
const echo = document.getElementById('echo');
const status = document.querySelector('.status');
input.addEventListener('input', () => {
  echo.textContent = input.value;
  status.textContent = `${input.value.length + 1} articles`;
});
