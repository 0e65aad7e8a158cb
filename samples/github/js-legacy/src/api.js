// Promise-chain style API helpers (pre async/await).
var BASE = '/api/contacts';

export function loadContacts() {
  return fetch(BASE)
    .then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    })
    .then(function (body) {
      return body.contacts || [];
    });
}

export function saveContact(contact) {
  return fetch(BASE + (contact.id ? '/' + contact.id : ''), {
    method: contact.id ? 'PUT' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(contact)
  }).then(function (res) {
    return res.json();
  });
}
