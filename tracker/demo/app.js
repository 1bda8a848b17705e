/* global document, location, history, addEventListener, li */
// A tiny single-page app: three routes by pushState, titles set after the route changes (as
// routers do), a custom event. The tracker counts each route once, and back/forward too.
(function () {
  var pages = {
    '/demo/': ['Home', 'The demo shop of LiveInsight: click around, then look at the dashboard.'],
    '/demo/pricing': ['Pricing', 'Three plans. The Sign up button sends a custom event.'],
    '/demo/docs': [
      'Docs',
      'Back and forward count as views too; reloading this tab keeps the session.',
    ],
  };
  function render() {
    var page = pages[location.pathname] || ['Not found', 'No such page.'];
    document.getElementById('heading').textContent = page[0];
    document.getElementById('text').textContent = page[1];
    setTimeout(function () {
      document.title = 'Demo shop — ' + page[0];
    }, 10);
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-route]');
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    if (link.pathname !== location.pathname) history.pushState({}, '', link.pathname);
    render();
  });
  addEventListener('popstate', render);
  document.getElementById('cart').addEventListener('click', function () {
    li('Add to cart', { props: { item: 't-shirt', price: 19.9 } });
  });
  render();
})();
