// The example host page's own script: it lists the events the Sorot widgets send.
document.addEventListener('DOMContentLoaded', () => {
  const list = document.getElementById('events');
  for (const type of ['sorot-search', 'sorot-open']) {
    document.addEventListener(type, (event) => {
      const item = document.createElement('li');
      item.textContent = `${event.target.id} ${type} ${JSON.stringify(event.detail)}`;
      list.prepend(item);
      while (list.children.length > 20) list.lastElementChild.remove();
    });
  }
});
