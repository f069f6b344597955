/* Small behaviours of the pages, as a static file: the Content-Security-Policy allows no
   inline scripts or on...="" attributes.
   - <button type="button" data-print> prints the page. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
